//! Fonts as a text layer sees them: how bytes split into codes, each code's advance width and
//! each code's text.
//!
//! Decoding order for text follows what the file states most reliably: the font's ToUnicode
//! map first; then, for simple fonts, `/Differences` glyph by glyph through the Adobe Glyph
//! List; then the base encoding (named, or the font's built-in one: Symbol, ZapfDingbats,
//! Wingdings, or the encoding inside an embedded Type 1 program). Type0/CID fonts split codes
//! by their CMap's codespace (Identity-H, predefined UCS-2 CMaps, multi-byte CJK CMaps or an
//! embedded CMap). Type3 widths go through the font's `/FontMatrix`.
//!
//! Ligatures are expanded (`ﬁ` → `fi`), and symbol-font bullets read as `•`.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

use super::cmap::{CMap, CodeSplit};
use super::encoding::{self, BaseEncoding};
use super::filters::decode_stream;
use super::glyphlist;
use super::metrics;
use super::object::{number, resolve};

/// Which family of font program the font dictionary describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FontKind {
    Simple,
    Type3,
    Cid,
}

/// A loaded font, ready for the content interpreter.
#[derive(Debug)]
pub struct Font {
    pub kind: FontKind,
    pub name: String,
    split: CodeSplit,
    /// Simple fonts: text per code.
    simple_text: Vec<Box<str>>,
    /// Simple fonts: advance per code, in text space per unit of font size.
    simple_widths: Vec<f32>,
    /// CID fonts.
    to_unicode: Option<CMap>,
    encoding_cmap: Option<CMap>,
    identity: bool,
    ucs2: bool,
    /// The ToUnicode map sends a range of codes to themselves (see [`CMap::maps_codes_to_themselves`]).
    unicode_codes: bool,
    cid_widths: HashMap<u32, f32>,
    cid_width_ranges: Vec<(u32, u32, f32)>,
    default_width: f32,
    /// Symbol fonts whose ToUnicode points into the private-use area F000–F0FF.
    symbol_table: Option<fn(u8) -> u16>,
    /// Vertical extent of the glyphs relative to the font size (Type3 font matrices).
    pub size_scale: f32,
    /// A part of the font that could not be read (its text may be wrong), for a page warning.
    pub damage: Option<String>,
}

fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    dict.get(key).ok().map(|o| resolve(doc, o))
}

fn get_dict<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    match get(doc, dict, key)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

fn get_name<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    match get(doc, dict, key)? {
        Object::Name(n) => Some(n),
        _ => None,
    }
}

fn stream_bytes(doc: &Document, obj: Option<&Object>, cap: usize) -> Option<Vec<u8>> {
    match obj.map(|o| resolve(doc, o))? {
        Object::Stream(s) => decode_stream(doc, s, cap).ok(),
        _ => None,
    }
}

/// Append `s` with ligatures expanded, control characters dropped and (for symbol fonts)
/// private-use codes mapped through the symbol table.
fn push_clean(out: &mut String, s: &str, symbol: Option<fn(u8) -> u16>) {
    for c in s.chars() {
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            '\u{F000}'..='\u{F0FF}' if symbol.is_some() => {
                let code = (c as u32 & 0xFF) as u8;
                if let Some(m) = symbol.and_then(|f| char::from_u32(f(code) as u32)) {
                    if m != '\0' {
                        out.push(m);
                    }
                }
            }
            '\u{0}'..='\u{1F}' | '\u{7F}' | '\u{FFFD}' | '\u{FEFF}' => {}
            '\u{A0}' => out.push(' '),
            _ => out.push(c),
        }
    }
}

fn strip_subset(name: &[u8]) -> String {
    let s = String::from_utf8_lossy(name);
    match s.split_once('+') {
        Some((tag, rest)) if tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()) => {
            rest.to_string()
        }
        _ => s.into_owned(),
    }
}

/// The table of a font that draws symbols rather than letters, by its name.
fn symbol_table_for(name: &str) -> Option<fn(u8) -> u16> {
    let lower = name.to_ascii_lowercase();
    if lower.contains("wingding") || lower.contains("webding") {
        Some(encoding::wingdings)
    } else if lower.contains("dingbat") {
        Some(encoding::zapf_dingbats)
    } else if lower.starts_with("symbol") || lower.contains("symbolmt") || lower == "symbol" {
        Some(encoding::symbol)
    } else {
        None
    }
}

impl Font {
    /// Load a font dictionary. Damaged parts degrade to defaults; loading never fails.
    pub fn load(doc: &Document, dict: &Dictionary, stream_cap: usize) -> Font {
        let subtype = get_name(doc, dict, b"Subtype").unwrap_or(b"Type1");
        let name = get_name(doc, dict, b"BaseFont")
            .map(strip_subset)
            .unwrap_or_default();
        let (to_unicode, damage) = match dict.get(b"ToUnicode").ok().map(|o| resolve(doc, o)) {
            Some(Object::Stream(s)) => match decode_stream(doc, s, stream_cap) {
                Ok(d) => (Some(CMap::parse(&d)).filter(|c| c.has_text()), None),
                Err(e) => (None, Some(format!("ToUnicode map skipped: {e}"))),
            },
            _ => (None, None),
        };
        let mut font = match subtype {
            b"Type0" => Font::load_cid(doc, dict, name, to_unicode, stream_cap),
            b"Type3" => Font::load_simple(doc, dict, name, to_unicode, stream_cap, true),
            _ => Font::load_simple(doc, dict, name, to_unicode, stream_cap, false),
        };
        font.damage = damage;
        font
    }

    fn empty(kind: FontKind, name: String, to_unicode: Option<CMap>) -> Font {
        let unicode_codes = to_unicode
            .as_ref()
            .is_some_and(CMap::maps_codes_to_themselves);
        Font {
            kind,
            name,
            split: CodeSplit::Fixed(1),
            simple_text: Vec::new(),
            simple_widths: Vec::new(),
            to_unicode,
            encoding_cmap: None,
            identity: false,
            ucs2: false,
            unicode_codes,
            cid_widths: HashMap::new(),
            cid_width_ranges: Vec::new(),
            default_width: 1.0,
            symbol_table: None,
            size_scale: 1.0,
            damage: None,
        }
    }

    fn load_simple(
        doc: &Document,
        dict: &Dictionary,
        name: String,
        to_unicode: Option<CMap>,
        stream_cap: usize,
        type3: bool,
    ) -> Font {
        let kind = if type3 {
            FontKind::Type3
        } else {
            FontKind::Simple
        };
        let mut font = Font::empty(kind, name, None);
        let descriptor = get_dict(doc, dict, b"FontDescriptor");
        let flags = descriptor
            .and_then(|d| get(doc, d, b"Flags"))
            .and_then(number)
            .unwrap_or(0.0) as u32;
        let symbolic = flags & 4 != 0 && flags & 32 == 0;
        let is_truetype = get_name(doc, dict, b"Subtype") == Some(b"TrueType");
        let symbol_table = symbol_table_for(&font.name);

        // Base encoding and differences.
        let mut base: Option<BaseEncoding> = None;
        let mut differences: Vec<Option<Vec<u8>>> = vec![None; 256];
        match get(doc, dict, b"Encoding") {
            Some(Object::Name(n)) => base = BaseEncoding::from_name(n),
            Some(Object::Dictionary(enc)) => {
                base = get_name(doc, enc, b"BaseEncoding").and_then(BaseEncoding::from_name);
                if let Some(Object::Array(diffs)) = get(doc, enc, b"Differences") {
                    let mut code: usize = 0;
                    for item in diffs.iter().take(4096) {
                        match resolve(doc, item) {
                            Object::Integer(i) => code = (*i).clamp(0, 256) as usize,
                            Object::Real(r) => code = r.clamp(0.0, 256.0) as usize,
                            Object::Name(n) => {
                                if let Some(slot) = differences.get_mut(code) {
                                    *slot = Some(n.clone());
                                }
                                code = code.saturating_add(1);
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
        // The font's built-in encoding, where the file names none.
        let mut builtin: Option<Vec<Option<Vec<u8>>>> = None;
        let mut builtin_table: Option<fn(u8) -> u16> = None;
        if base.is_none() {
            if let Some(t) = symbol_table {
                builtin_table = Some(t);
            } else if let Some(ff) = descriptor.and_then(|d| d.get(b"FontFile").ok()) {
                if let Some(data) = stream_bytes(doc, Some(ff), stream_cap) {
                    builtin = type1_builtin_encoding(&data);
                }
            }
        }
        let fallback = base.unwrap_or(if is_truetype || symbolic {
            BaseEncoding::WinAnsi
        } else {
            BaseEncoding::Standard
        });
        font.symbol_table = symbol_table;

        let mut text = String::new();
        let mut texts: Vec<Box<str>> = Vec::with_capacity(256);
        for code in 0..256u32 {
            text.clear();
            let mut raw = String::new();
            let found = to_unicode
                .as_ref()
                .is_some_and(|tu| tu.lookup(code, &mut raw));
            if !found {
                let from_name = |n: &[u8], raw: &mut String| glyphlist::name_to_unicode(n, raw);
                let mut done = false;
                if let Some(Some(n)) = differences.get(code as usize) {
                    done = from_name(n, &mut raw);
                    if !done {
                        if let Some(c) = glyphlist::numeric_name(n)
                            .filter(|_| n.first().is_some_and(|b| b.eq_ignore_ascii_case(&b'c')))
                            .filter(|c| (32..127).contains(c))
                            .and_then(char::from_u32)
                        {
                            raw.push(c);
                            done = true;
                        }
                    }
                }
                if !done {
                    if let Some(Some(n)) = builtin.as_ref().and_then(|b| b.get(code as usize)) {
                        done = from_name(n, &mut raw);
                    }
                }
                if !done {
                    let c = match builtin_table {
                        Some(t) if base.is_none() => char::from_u32(t(code as u8) as u32),
                        _ => fallback.decode(code as u8),
                    };
                    if let Some(c) = c {
                        raw.push(c);
                    }
                }
            }
            push_clean(&mut text, &raw, symbol_table);
            texts.push(text.as_str().into());
        }
        font.simple_text = texts;

        // Widths.
        let matrix: [f32; 6] = match get(doc, dict, b"FontMatrix") {
            Some(Object::Array(a)) if type3 && a.len() == 6 => {
                let mut m = [0.001, 0.0, 0.0, 0.001, 0.0, 0.0];
                for (slot, o) in m.iter_mut().zip(a.iter()) {
                    *slot = number(resolve(doc, o)).unwrap_or(*slot);
                }
                m
            }
            _ => [0.001, 0.0, 0.0, 0.001, 0.0, 0.0],
        };
        let scale = if type3 { matrix[0].abs() } else { 0.001 };
        let first = get(doc, dict, b"FirstChar")
            .and_then(number)
            .unwrap_or(0.0)
            .clamp(0.0, 255.0) as usize;
        let missing = descriptor
            .and_then(|d| get(doc, d, b"MissingWidth"))
            .and_then(number)
            .unwrap_or(0.0);
        let mut widths = vec![f32::NAN; 256];
        if let Some(Object::Array(ws)) = get(doc, dict, b"Widths") {
            for (i, w) in ws.iter().enumerate().take(256) {
                if let (Some(slot), Some(v)) = (widths.get_mut(first + i), number(resolve(doc, w)))
                {
                    *slot = v;
                }
            }
        }
        let has_widths = widths.iter().any(|w| !w.is_nan());
        for (code, w) in widths.iter_mut().enumerate() {
            if w.is_nan() {
                // Without /Widths: the standard font's metrics, nothing for codes without
                // text (as other readers do), an average letter otherwise.
                let first_char = font.simple_text[code].chars().next();
                *w = if has_widths || missing > 0.0 {
                    missing
                } else {
                    match first_char {
                        None => 0.0,
                        Some(c) => metrics::standard_width(&font.name, c).unwrap_or(500.0),
                    }
                };
            }
            *w *= scale;
            if !w.is_finite() {
                *w = 0.0;
            }
        }
        if type3 {
            // A Type3 font's glyph space says nothing about its em: guess it from the
            // advance of an 'm' (about 0.6 em in most fonts) or of any letter (about 0.5 em).
            let advance_of = |pred: &dyn Fn(&str) -> bool| {
                (0..256)
                    .find(|&c| pred(&font.simple_text[c]) && widths[c] > 0.0)
                    .map(|c| widths[c])
            };
            let em = advance_of(&|t| t == "m")
                .map(|w| w / 0.6)
                .or_else(|| {
                    advance_of(&|t| t.chars().all(char::is_alphabetic) && !t.is_empty())
                        .map(|w| w / 0.5)
                })
                .or_else(|| advance_of(&|t| !t.is_empty()).map(|w| w / 0.5));
            let aspect = if matrix[0] != 0.0 {
                (matrix[3] / matrix[0]).abs()
            } else {
                1.0
            };
            if let Some(em) = em {
                font.size_scale = (em * aspect).clamp(0.01, 100.0);
            }
        }
        font.simple_widths = widths;
        font
    }

    fn load_cid(
        doc: &Document,
        dict: &Dictionary,
        name: String,
        to_unicode: Option<CMap>,
        stream_cap: usize,
    ) -> Font {
        let mut font = Font::empty(FontKind::Cid, name, to_unicode);
        font.split = CodeSplit::Fixed(2);
        // `/ToUnicode /Identity-H`: the codes are the characters.
        if matches!(get(doc, dict, b"ToUnicode"), Some(Object::Name(n)) if n.starts_with(b"Identity"))
        {
            font.ucs2 = true;
        }
        match get(doc, dict, b"Encoding") {
            Some(Object::Name(n)) => {
                let n = String::from_utf8_lossy(n);
                if n.starts_with("Identity") {
                    font.identity = true;
                } else if n.contains("UCS2") || n.contains("UTF16") {
                    font.ucs2 = true;
                } else if n.contains("RKSJ") {
                    font.split = CodeSplit::ShiftJis;
                } else if n.contains("EUC") || n.contains("GBK") || n.contains("UHC") {
                    font.split = CodeSplit::Euc;
                } else if n.contains("B5") {
                    font.split = CodeSplit::Big5;
                }
            }
            Some(Object::Stream(s)) => {
                if let Ok(data) = decode_stream(doc, s, stream_cap) {
                    let cmap = CMap::parse(&data);
                    if !cmap.codespace.is_empty() {
                        font.split = CodeSplit::Ranges(cmap.codespace.clone());
                    }
                    if cmap
                        .uses
                        .as_deref()
                        .is_some_and(|u| u.starts_with(b"Identity"))
                    {
                        font.identity = true;
                    }
                    font.encoding_cmap = Some(cmap);
                }
            }
            _ => font.identity = true,
        }
        font.symbol_table = symbol_table_for(&font.name);
        let descendant = match get(doc, dict, b"DescendantFonts") {
            Some(Object::Array(a)) => a.first().map(|o| resolve(doc, o)),
            _ => None,
        };
        let Some(Object::Dictionary(cid_font)) = descendant else {
            return font;
        };
        font.default_width = get(doc, cid_font, b"DW").and_then(number).unwrap_or(1000.0) * 0.001;
        if let Some(Object::Array(w)) = get(doc, cid_font, b"W") {
            let mut i = 0;
            let mut entries = 0usize;
            while i < w.len() && entries < 1 << 20 {
                let Some(first) = number(resolve(doc, &w[i])) else {
                    i += 1;
                    continue;
                };
                let first = first.max(0.0) as u32;
                match w.get(i + 1).map(|o| resolve(doc, o)) {
                    Some(Object::Array(list)) => {
                        for (k, v) in list.iter().enumerate() {
                            if let Some(v) = number(resolve(doc, v)) {
                                font.cid_widths
                                    .insert(first.saturating_add(k as u32), v * 0.001);
                                entries += 1;
                            }
                        }
                        i += 2;
                    }
                    Some(o) => {
                        let last = number(o).unwrap_or(0.0).max(0.0) as u32;
                        let v = w.get(i + 2).map(|o| resolve(doc, o)).and_then(number);
                        if let Some(v) = v {
                            if last >= first {
                                font.cid_width_ranges.push((first, last, v * 0.001));
                                entries += 1;
                            }
                        }
                        i += 3;
                    }
                    None => break,
                }
            }
            font.cid_width_ranges.sort_by_key(|r| r.0);
        }
        font
    }

    /// The next character code in `bytes` and its length in bytes.
    pub fn next_code(&self, bytes: &[u8]) -> (u32, usize) {
        match self.kind {
            FontKind::Cid => self.split.next(bytes),
            _ => (bytes.first().copied().unwrap_or(0) as u32, 1),
        }
    }

    /// `true` when codes are single bytes (word spacing applies to code 32 only then).
    pub fn single_byte(&self) -> bool {
        self.kind != FontKind::Cid
    }

    fn cid_of(&self, code: u32) -> Option<u32> {
        if self.identity {
            return Some(code);
        }
        self.encoding_cmap.as_ref().and_then(|c| c.cid(code))
    }

    /// Advance of `code` in text space per unit of font size.
    pub fn width(&self, code: u32) -> f32 {
        match self.kind {
            FontKind::Cid => {
                let Some(cid) = self.cid_of(code) else {
                    return self.default_width;
                };
                if let Some(w) = self.cid_widths.get(&cid) {
                    return *w;
                }
                let idx = self.cid_width_ranges.partition_point(|r| r.0 <= cid);
                self.cid_width_ranges[..idx]
                    .iter()
                    .rev()
                    .take(4)
                    .find(|r| cid <= r.1)
                    .map(|r| r.2)
                    .unwrap_or(self.default_width)
            }
            _ => self
                .simple_widths
                .get(code as usize)
                .copied()
                .unwrap_or(0.0),
        }
    }

    /// Append the text of `code` to `out` (possibly nothing).
    pub fn text(&self, code: u32, out: &mut String) {
        match self.kind {
            FontKind::Cid => {
                let mut raw = String::new();
                let found = self
                    .to_unicode
                    .as_ref()
                    .is_some_and(|tu| tu.lookup(code, &mut raw));
                // An Identity-H font whose ToUnicode map lacks the code but maps a range of
                // codes to themselves: its writer uses Unicode values as codes.
                let identity_gap = self.identity && self.unicode_codes;
                if !found && (self.ucs2 || identity_gap) {
                    if let Some(c) = char::from_u32(code) {
                        raw.push(c);
                    }
                }
                push_clean(out, &raw, self.symbol_table);
            }
            _ => {
                if let Some(t) = self.simple_text.get(code as usize) {
                    out.push_str(t);
                }
            }
        }
    }
}

/// The encoding inside an embedded Type 1 font program: `dup <code> /<name> put` entries of
/// its clear-text part. `None` when the program uses StandardEncoding or has none.
fn type1_builtin_encoding(program: &[u8]) -> Option<Vec<Option<Vec<u8>>>> {
    let head = &program[..program.len().min(64 * 1024)];
    let end = head
        .windows(5)
        .position(|w| w == b"eexec")
        .unwrap_or(head.len());
    let clear = &head[..end];
    let start = clear.windows(9).position(|w| w == b"/Encoding")?;
    let section = &clear[start..];
    if section.starts_with(b"/Encoding StandardEncoding") {
        return None;
    }
    let mut names: Vec<Option<Vec<u8>>> = vec![None; 256];
    let mut lx = super::lexer::Lexer::new(section);
    let mut any = false;
    while let Some(op) = lx.next_op() {
        match op {
            b"put" => {
                let n = lx.operands.len();
                if n >= 2 {
                    if let (Some(code), Some(name)) = (lx.num(n - 2), lx.last_name()) {
                        if (0.0..256.0).contains(&code) {
                            names[code as usize] = Some(name.to_vec());
                            any = true;
                        }
                    }
                }
            }
            b"readonly" | b"def" if any => break,
            _ => {}
        }
    }
    any.then_some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ligatures_and_symbol_private_use() {
        let mut s = String::new();
        push_clean(&mut s, "\u{FB01}x\u{F0B7}\u{1}", Some(encoding::symbol));
        assert_eq!(s, "fix\u{2022}");
    }

    #[test]
    fn builtin_type1_encoding() {
        let prog = b"%!PS-AdobeFont-1.0 /Encoding 256 array 0 1 255 {1 index exch /.notdef put} for dup 65 /Alpha put dup 66 /B put readonly def currentfile eexec garbage";
        let enc = type1_builtin_encoding(prog).unwrap();
        assert_eq!(enc[65].as_deref(), Some(&b"Alpha"[..]));
        assert_eq!(enc[66].as_deref(), Some(&b"B"[..]));
        assert!(type1_builtin_encoding(b"/Encoding StandardEncoding def").is_none());
    }

    #[test]
    fn subset_prefix_is_stripped() {
        assert_eq!(strip_subset(b"ABCDEF+Calibri-Bold"), "Calibri-Bold");
        assert_eq!(strip_subset(b"Arial+X"), "Arial+X");
    }
}
