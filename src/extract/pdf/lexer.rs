//! A tokenizer for content streams and CMaps: operands and operators, without allocating per
//! token.
//!
//! Operands of the current operator are kept in a reusable list; string and name bytes live in
//! a reusable arena and operands refer to them by range. Arrays and dictionaries are flattened
//! into begin/end markers, which is all the text operators need (`TJ`'s array). Inline images
//! (`BI … ID <binary> EI`) are skipped here so their bytes are never read as operators.

use std::ops::Range;

/// One operand of the operator being read.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Num(f32),
    /// A name, without the slash, `#xx` escapes resolved: a range of the arena.
    Name(Range<u32>),
    /// A literal or hexadecimal string, escapes resolved: a range of the arena.
    Str(Range<u32>),
    ArrayStart,
    ArrayEnd,
    DictStart,
    DictEnd,
    Other,
}

/// Most operands kept for one operator; the excess of a damaged stream is dropped.
const MAX_OPERANDS: usize = 1 << 16;

pub struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
    pub operands: Vec<Operand>,
    pub arena: Vec<u8>,
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0')
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

impl<'a> Lexer<'a> {
    pub fn new(data: &'a [u8]) -> Lexer<'a> {
        Lexer {
            data,
            pos: 0,
            operands: Vec::with_capacity(16),
            arena: Vec::with_capacity(256),
        }
    }

    /// The bytes of an arena range.
    pub fn bytes(&self, r: &Range<u32>) -> &[u8] {
        self.arena
            .get(r.start as usize..r.end as usize)
            .unwrap_or(&[])
    }

    /// Number operand `i` (0-based from the first operand), if it is a number.
    pub fn num(&self, i: usize) -> Option<f32> {
        match self.operands.get(i) {
            Some(Operand::Num(n)) => Some(*n),
            _ => None,
        }
    }

    /// The last `n` operands as numbers (the usual shape of an operator's arguments).
    pub fn last_nums<const N: usize>(&self) -> Option<[f32; N]> {
        let len = self.operands.len();
        if len < N {
            return None;
        }
        let mut out = [0f32; N];
        for (k, slot) in out.iter_mut().enumerate() {
            *slot = self.num(len - N + k)?;
        }
        Some(out)
    }

    /// The last operand, if it is a name.
    pub fn last_name(&self) -> Option<&[u8]> {
        self.operands.iter().rev().find_map(|o| match o {
            Operand::Name(r) => Some(self.bytes(r)),
            _ => None,
        })
    }

    /// The last operand, if it is a string.
    pub fn last_str(&self) -> Option<&[u8]> {
        match self.operands.last() {
            Some(Operand::Str(r)) => Some(self.bytes(r)),
            _ => None,
        }
    }

    fn skip_white(&mut self) {
        while let Some(&b) = self.data.get(self.pos) {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(&c) = self.data.get(self.pos) {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn push(&mut self, op: Operand) {
        if self.operands.len() >= MAX_OPERANDS {
            self.operands.clear();
            self.arena.clear();
        }
        self.operands.push(op);
    }

    /// Read up to the next operator. Its operands are in `operands`; the keyword is returned.
    /// `None` at the end of the data.
    pub fn next_op(&mut self) -> Option<&'a [u8]> {
        self.operands.clear();
        self.arena.clear();
        loop {
            self.skip_white();
            let &b = self.data.get(self.pos)?;
            match b {
                b'/' => {
                    self.pos += 1;
                    let start = self.arena.len() as u32;
                    while let Some(&c) = self.data.get(self.pos) {
                        if is_white(c) || is_delim(c) {
                            break;
                        }
                        self.pos += 1;
                        if c == b'#' {
                            let h = self.data.get(self.pos).copied().and_then(hex_val);
                            let l = self.data.get(self.pos + 1).copied().and_then(hex_val);
                            if let (Some(h), Some(l)) = (h, l) {
                                self.arena.push(h << 4 | l);
                                self.pos += 2;
                                continue;
                            }
                        }
                        self.arena.push(c);
                    }
                    let end = self.arena.len() as u32;
                    self.push(Operand::Name(start..end));
                }
                b'(' => {
                    self.pos += 1;
                    let r = self.literal_string();
                    self.push(Operand::Str(r));
                }
                b'<' => {
                    if self.data.get(self.pos + 1) == Some(&b'<') {
                        self.pos += 2;
                        self.push(Operand::DictStart);
                    } else {
                        self.pos += 1;
                        let r = self.hex_string();
                        self.push(Operand::Str(r));
                    }
                }
                b'>' => {
                    self.pos += if self.data.get(self.pos + 1) == Some(&b'>') {
                        2
                    } else {
                        1
                    };
                    self.push(Operand::DictEnd);
                }
                b'[' => {
                    self.pos += 1;
                    self.push(Operand::ArrayStart);
                }
                b']' => {
                    self.pos += 1;
                    self.push(Operand::ArrayEnd);
                }
                b'{' | b'}' | b')' => {
                    self.pos += 1;
                }
                b'+' | b'-' | b'.' | b'0'..=b'9' => {
                    let n = self.number();
                    self.push(n);
                }
                _ => {
                    let start = self.pos;
                    while let Some(&c) = self.data.get(self.pos) {
                        if is_white(c) || is_delim(c) {
                            break;
                        }
                        self.pos += 1;
                    }
                    let word = self.data.get(start..self.pos)?;
                    match word {
                        b"true" | b"false" | b"null" => self.push(Operand::Other),
                        b"BI" => {
                            self.skip_inline_image();
                            return Some(b"BI");
                        }
                        _ => return Some(word),
                    }
                }
            }
        }
    }

    fn number(&mut self) -> Operand {
        let start = self.pos;
        while let Some(&c) = self.data.get(self.pos) {
            if matches!(c, b'+' | b'-' | b'.' | b'0'..=b'9') {
                self.pos += 1;
            } else {
                break;
            }
        }
        let text = self.data.get(start..self.pos).unwrap_or(&[]);
        Operand::Num(parse_number(text))
    }

    fn literal_string(&mut self) -> Range<u32> {
        let start = self.arena.len() as u32;
        let mut depth = 1usize;
        while let Some(&c) = self.data.get(self.pos) {
            self.pos += 1;
            match c {
                b'(' => {
                    depth += 1;
                    self.arena.push(c);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    self.arena.push(c);
                }
                b'\\' => {
                    let Some(&e) = self.data.get(self.pos) else {
                        break;
                    };
                    self.pos += 1;
                    match e {
                        b'n' => self.arena.push(b'\n'),
                        b'r' => self.arena.push(b'\r'),
                        b't' => self.arena.push(b'\t'),
                        b'b' => self.arena.push(8),
                        b'f' => self.arena.push(12),
                        b'\r' => {
                            if self.data.get(self.pos) == Some(&b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = (e - b'0') as u32;
                            for _ in 0..2 {
                                match self.data.get(self.pos) {
                                    Some(&d @ b'0'..=b'7') => {
                                        v = v * 8 + (d - b'0') as u32;
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            self.arena.push(v as u8);
                        }
                        other => self.arena.push(other),
                    }
                }
                _ => self.arena.push(c),
            }
        }
        start..self.arena.len() as u32
    }

    fn hex_string(&mut self) -> Range<u32> {
        let start = self.arena.len() as u32;
        let mut hi: Option<u8> = None;
        while let Some(&c) = self.data.get(self.pos) {
            self.pos += 1;
            if c == b'>' {
                break;
            }
            if let Some(v) = hex_val(c) {
                match hi.take() {
                    Some(h) => self.arena.push(h << 4 | v),
                    None => hi = Some(v),
                }
            }
        }
        if let Some(h) = hi {
            self.arena.push(h << 4);
        }
        start..self.arena.len() as u32
    }

    /// Skip `… ID <data> EI` after `BI`: the data ends at `EI` between white space.
    fn skip_inline_image(&mut self) {
        // Find the ID keyword that starts the data.
        loop {
            self.skip_white();
            let Some(&b) = self.data.get(self.pos) else {
                return;
            };
            if b == b'I'
                && self.data.get(self.pos + 1) == Some(&b'D')
                && self
                    .data
                    .get(self.pos + 2)
                    .is_none_or(|&c| is_white(c) || is_delim(c))
            {
                self.pos += 3;
                break;
            }
            // Skip one token of the image dictionary.
            match b {
                b'(' => {
                    self.pos += 1;
                    let mark = self.arena.len();
                    self.literal_string();
                    self.arena.truncate(mark);
                }
                _ => {
                    self.pos += 1;
                    while let Some(&c) = self.data.get(self.pos) {
                        if is_white(c) || is_delim(c) {
                            break;
                        }
                        self.pos += 1;
                    }
                }
            }
        }
        // Data: up to white space, "EI", then white space or the end.
        let d = self.data;
        let mut i = self.pos;
        while i + 1 < d.len() {
            if d[i] == b'E'
                && d[i + 1] == b'I'
                && i > 0
                && is_white(d[i - 1])
                && d.get(i + 2).is_none_or(|&c| is_white(c))
            {
                self.pos = i + 2;
                return;
            }
            i += 1;
        }
        self.pos = d.len();
    }
}

/// Lenient number parsing: `1.5`, `-.5`, `+3`, `4.`, and damaged forms like `--5` or `1.2.3`.
pub fn parse_number(text: &[u8]) -> f32 {
    let mut neg = false;
    let mut i = 0;
    while let Some(&c) = text.get(i) {
        match c {
            b'-' => neg = !neg,
            b'+' => {}
            _ => break,
        }
        i += 1;
    }
    let mut int: f64 = 0.0;
    let mut frac: f64 = 0.0;
    let mut scale = 1.0f64;
    let mut seen_dot = false;
    for &c in text.get(i..).unwrap_or(&[]) {
        match c {
            b'0'..=b'9' => {
                if seen_dot {
                    scale /= 10.0;
                    frac += (c - b'0') as f64 * scale;
                } else {
                    int = int * 10.0 + (c - b'0') as f64;
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => break,
        }
    }
    let v = (int + frac) as f32;
    let v = if v.is_finite() { v } else { 0.0 };
    if neg {
        -v
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_and_operands() {
        let mut lx = Lexer::new(
            b"BT /F1 12 Tf 1 0 0 1 72.5 -7 Tm (a\\(b\\)\\101) Tj [(x) -250 <4142>] TJ ET",
        );
        assert_eq!(lx.next_op(), Some(&b"BT"[..]));
        assert_eq!(lx.next_op(), Some(&b"Tf"[..]));
        assert_eq!(lx.last_name(), Some(&b"F1"[..]));
        assert_eq!(lx.last_nums::<1>(), Some([12.0]));
        assert_eq!(lx.next_op(), Some(&b"Tm"[..]));
        assert_eq!(lx.last_nums::<6>(), Some([1.0, 0.0, 0.0, 1.0, 72.5, -7.0]));
        assert_eq!(lx.next_op(), Some(&b"Tj"[..]));
        assert_eq!(lx.last_str(), Some(&b"a(b)A"[..]));
        assert_eq!(lx.next_op(), Some(&b"TJ"[..]));
        assert_eq!(lx.operands.len(), 5);
        assert_eq!(lx.operands[2], Operand::Num(-250.0));
        assert_eq!(lx.next_op(), Some(&b"ET"[..]));
        assert_eq!(lx.next_op(), None);
    }

    #[test]
    fn inline_images_are_skipped() {
        let mut lx = Lexer::new(b"q BI /W 2 /H 2 /F /AHx ID \x00EI\xffBT\n EI Q (t) Tj");
        assert_eq!(lx.next_op(), Some(&b"q"[..]));
        assert_eq!(lx.next_op(), Some(&b"BI"[..]));
        assert_eq!(lx.next_op(), Some(&b"Q"[..]));
        assert_eq!(lx.next_op(), Some(&b"Tj"[..]));
    }

    #[test]
    fn names_with_escapes_and_odd_numbers() {
        let mut lx = Lexer::new(b"/A#20B --5 1.2.3 .5 x");
        assert_eq!(lx.next_op(), Some(&b"x"[..]));
        match &lx.operands[0] {
            Operand::Name(r) => assert_eq!(lx.bytes(r), b"A B"),
            other => panic!("{other:?}"),
        }
        assert_eq!(lx.num(1), Some(5.0));
        assert_eq!(lx.num(2), Some(1.2));
        assert_eq!(lx.num(3), Some(0.5));
    }

    #[test]
    fn unterminated_input_ends() {
        let mut lx = Lexer::new(b"(never closed");
        assert_eq!(lx.next_op(), None);
        let mut lx = Lexer::new(b"<41");
        assert_eq!(lx.next_op(), None);
    }
}
