//! RTF: a small, bounded tokenizer of our own.
//!
//! One pass over the bytes, no recursion: `{` and `}` push and pop a group state (bounded by
//! [`Limits::max_rtf_depth`]); control words are at most 32 letters with an optional number
//! of at most 10 digits; `\binN` data is skipped (within the file); text is decoded with the
//! document's code page (`\ansicpgN`, default 1252) or the current font's charset (from
//! `\fonttbl`), `\'hh` bytes included, so double-byte code pages (932, 936, 949, 950) and
//! 65001 decode as they should; `\uN` is a UTF-16 unit (surrogate pairs joined) followed by
//! `\ucN` fallback characters that are skipped.
//!
//! What is kept: body paragraphs (`\par`), line breaks and tabs, headings by
//! `\outlinelevelN`, table cells (`\cell`, rows by `\row`; nested cells join their outer
//! cell), headers and footers (`\header`, `\footer` and their variants; each text once,
//! headers before the body, footers after it), footnotes and endnotes (`\footnote`, after the
//! body), comments (`\annotation`), field results (not field instructions). What is skipped:
//! the font, colour, style, list and revision tables, `\info`, pictures, object data, shape
//! properties, hidden text (`\v`) and every `\*` destination not known here. List markers as
//! the writer rendered them (`\listtext`, `\pntext`) are kept before their item's text.

use encoding_rs::Encoding;

use crate::document::{Block, BlockKind, Document, Format, Metadata};
use crate::error::{Error, Result};
use crate::limits::{Deadline, Limits};

/// Where the text of a group goes.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Dest {
    Body,
    /// Not text of the document.
    Skip,
    /// The font table: read for charsets only.
    Fonts,
    /// `\info` fields: the title and author.
    Title,
    Author,
    Header,
    Footer,
    Footnote,
    Endnote,
    Comment,
}

#[derive(Clone, Copy, Debug)]
struct Group {
    dest: Dest,
    /// `\ucN`: fallback characters after `\uN`.
    uc: u32,
    /// The code page text is decoded with.
    cp: u16,
    hidden: bool,
    /// The group's destination starts at its first control word (`{\*\x ...}` or `{\x ...}`).
    fresh: bool,
    star: bool,
}

const SKIP_DESTS: &[&str] = &[
    "fonttbl",
    "colortbl",
    "stylesheet",
    "listtable",
    "listoverridetable",
    "revtbl",
    "rsidtbl",
    "generator",
    "xmlnstbl",
    "themedata",
    "colorschememapping",
    "datastore",
    "latentstyles",
    "pgdsctbl",
    "pict",
    "shppict",
    "nonshppict",
    "objdata",
    "objclass",
    "objname",
    "fldinst",
    "sp",
    "pntxta",
    "pntxtb",
    "atnid",
    "atnauthor",
    "atndate",
    "atnref",
    "atrfstart",
    "atrfend",
    "bkmkstart",
    "bkmkend",
    "template",
    "filetbl",
    "docvar",
    "wgrffmtfilter",
    "mmathPr",
    "xe",
    "tc",
    "ftnsep",
    "ftnsepc",
    "aftnsep",
    "aftnsepc",
    "userprops",
    "operator",
    "company",
    "keywords",
    "comment",
    "doccomm",
    "subject",
    "category",
    "manager",
    "hlinkbase",
    "passwordhash",
    "protusertbl",
    "ud",
];

/// Extract an RTF file.
pub fn extract(bytes: &[u8], limits: &Limits, deadline: &Deadline) -> Result<Document> {
    let start = bytes
        .windows(5)
        .take(1024)
        .position(|w| w == b"{\\rtf")
        .ok_or_else(|| Error::Malformed {
            format: "RTF",
            detail: "no {\\rtf header".into(),
        })?;
    let mut p = Parser::new(limits);
    p.run(&bytes[start..], limits, deadline)?;
    p.finish()
}

struct Parser {
    stack: Vec<Group>,
    g: Group,
    ansi_cp: u16,
    /// Font number -> code page, from `\fonttbl`.
    fonts: Vec<(i32, u16)>,
    font_def: i32,
    raw: Vec<u8>,
    /// `\uN` fallback characters still to skip.
    skip_chars: u32,
    high_surrogate: Option<u16>,
    para: String,
    heading: Option<u8>,
    in_table: bool,
    cell: String,
    table: u32,
    tables: u32,
    row: u32,
    col: u32,
    /// The text of the destination group being read (notes, headers, comments, info).
    side: Vec<(Dest, String)>,
    blocks: Vec<Block>,
    headers: Vec<String>,
    footers: Vec<String>,
    notes: Vec<(bool, String)>,
    meta: Metadata,
    warnings: Vec<String>,
    chars: usize,
    max_chars: usize,
    /// The root group has closed: what follows is not part of the document.
    ended: bool,
    /// A table's rows are being read (cells seen since the last paragraph outside a table).
    table_open: bool,
}

impl Parser {
    fn new(limits: &Limits) -> Parser {
        Parser {
            stack: Vec::new(),
            g: Group {
                dest: Dest::Body,
                uc: 1,
                cp: 1252,
                hidden: false,
                fresh: false,
                star: false,
            },
            ansi_cp: 1252,
            fonts: Vec::new(),
            font_def: -1,
            raw: Vec::new(),
            skip_chars: 0,
            high_surrogate: None,
            para: String::new(),
            heading: None,
            in_table: false,
            cell: String::new(),
            table: 0,
            tables: 0,
            row: 0,
            col: 0,
            side: Vec::new(),
            blocks: Vec::new(),
            headers: Vec::new(),
            footers: Vec::new(),
            notes: Vec::new(),
            meta: Metadata::default(),
            warnings: Vec::new(),
            chars: 0,
            max_chars: limits.max_text_chars,
            ended: false,
            table_open: false,
        }
    }

    fn run(&mut self, b: &[u8], limits: &Limits, deadline: &Deadline) -> Result<()> {
        let mut i = 0usize;
        let mut steps = 0u32;
        while i < b.len() {
            steps = steps.wrapping_add(1);
            if steps.is_multiple_of(65536) {
                deadline.check()?;
            }
            let c = b[i];
            match c {
                b'{' => {
                    self.flush_raw();
                    if self.stack.len() >= limits.max_rtf_depth {
                        return Err(Error::limit(
                            "max_rtf_depth",
                            format!(
                                "groups nested deeper than {} at byte {i}",
                                limits.max_rtf_depth
                            ),
                        ));
                    }
                    self.stack.push(self.g);
                    self.g.fresh = true;
                    self.g.star = false;
                    self.skip_chars = 0;
                    i += 1;
                }
                b'}' => {
                    self.flush_raw();
                    self.end_group();
                    i += 1;
                    if self.stack.is_empty() && self.ended {
                        return Ok(());
                    }
                }
                b'\\' => {
                    i = self.control(b, i + 1)?;
                }
                b'\r' | b'\n' => i += 1,
                _ => {
                    self.g.fresh = false;
                    if self.skip_chars > 0 {
                        self.skip_chars -= 1;
                    } else if self.text_dest() {
                        if c == b'\t' {
                            self.push_str("\t")?;
                        } else if c >= 0x20 {
                            self.raw.push(c);
                        }
                    }
                    i += 1;
                }
            }
        }
        self.flush_raw();
        if !self.stack.is_empty() {
            self.warnings.push(format!(
                "the file ends inside {} open group(s) (truncated); the text read is kept",
                self.stack.len()
            ));
            while !self.stack.is_empty() {
                self.end_group();
            }
        }
        Ok(())
    }

    fn text_dest(&self) -> bool {
        !self.g.hidden && !matches!(self.g.dest, Dest::Skip | Dest::Fonts)
    }

    /// One control word or symbol starting after the backslash at `i`; returns where the
    /// next token starts.
    fn control(&mut self, b: &[u8], mut i: usize) -> Result<usize> {
        let Some(&c) = b.get(i) else {
            return Ok(i);
        };
        if !c.is_ascii_alphabetic() {
            // A control symbol.
            i += 1;
            match c {
                b'\'' => {
                    let hex = b
                        .get(i..i + 2)
                        .and_then(|h| std::str::from_utf8(h).ok())
                        .and_then(|h| u8::from_str_radix(h, 16).ok());
                    if let Some(v) = hex {
                        i += 2;
                        self.g.fresh = false;
                        if self.skip_chars > 0 {
                            self.skip_chars -= 1;
                        } else if self.text_dest() {
                            self.raw.push(v);
                        }
                    }
                }
                b'*' => self.g.star = true,
                b'\\' | b'{' | b'}' => self.literal(&(c as char).to_string())?,
                b'~' => self.literal("\u{a0}")?,
                b'_' => self.literal("-")?,
                b'-' => {}
                b'\n' | b'\r' => {
                    self.flush_raw();
                    self.par()?;
                }
                b'\t' => self.literal("\t")?,
                _ => {}
            }
            return Ok(i);
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphabetic() && i - start < 32 {
            i += 1;
        }
        let word = std::str::from_utf8(&b[start..i]).unwrap_or("").to_string();
        let nstart = i;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        while i < b.len() && b[i].is_ascii_digit() && i - nstart < 11 {
            i += 1;
        }
        let param: Option<i64> = std::str::from_utf8(&b[nstart..i])
            .ok()
            .and_then(|s| s.parse().ok());
        if b.get(i) == Some(&b' ') {
            i += 1;
        }
        if word == "bin" {
            let n = param.unwrap_or(0).max(0) as usize;
            return Ok(i.saturating_add(n).min(b.len()));
        }
        if self.skip_chars > 0 && word != "u" {
            // A fallback for the last `\uN` may be a control word too (`\'hh` mostly).
            self.skip_chars -= 1;
            if !matches!(word.as_str(), "par" | "cell" | "row" | "line" | "tab") {
                return Ok(i);
            }
        }
        self.word(&word, param)?;
        Ok(i)
    }

    fn literal(&mut self, s: &str) -> Result<()> {
        self.g.fresh = false;
        if self.skip_chars > 0 {
            self.skip_chars -= 1;
            return Ok(());
        }
        if self.text_dest() {
            self.flush_raw();
            self.push_str(s)?;
        }
        Ok(())
    }

    fn word(&mut self, word: &str, param: Option<i64>) -> Result<()> {
        let fresh = std::mem::replace(&mut self.g.fresh, false);
        let star = self.g.star;
        if fresh {
            let dest = match word {
                "fonttbl" => Some(Dest::Fonts),
                "info" => Some(Dest::Skip),
                "header" | "headerl" | "headerr" | "headerf" => Some(Dest::Header),
                "footer" | "footerl" | "footerr" | "footerf" => Some(Dest::Footer),
                "footnote" => Some(Dest::Footnote),
                "annotation" => Some(Dest::Comment),
                "fldrslt" | "shptxt" | "result" => None,
                w if SKIP_DESTS.contains(&w) => Some(Dest::Skip),
                _ if star => Some(Dest::Skip),
                _ => None,
            };
            if let Some(d) = dest {
                self.flush_raw();
                if self.g.dest == Dest::Skip && d != Dest::Skip {
                    // Inside a skipped destination everything stays skipped ...
                } else {
                    self.g.dest = d;
                    if matches!(
                        d,
                        Dest::Header | Dest::Footer | Dest::Footnote | Dest::Comment
                    ) {
                        self.side.push((d, String::new()));
                    }
                }
                return Ok(());
            }
        }
        // `\info` fields are read for the metadata.
        if self.stack.iter().any(|g| g.dest == Dest::Skip) || self.g.dest == Dest::Skip {
            if fresh && (word == "title" || word == "author") && self.in_info() {
                self.g.dest = if word == "title" {
                    Dest::Title
                } else {
                    Dest::Author
                };
                self.side.push((self.g.dest, String::new()));
            }
            return Ok(());
        }
        match word {
            "ansicpg" => {
                if let Some(p) = param {
                    self.ansi_cp = u16::try_from(p).unwrap_or(1252);
                    self.g.cp = self.ansi_cp;
                }
            }
            "deff" => self.font_def = param.unwrap_or(0) as i32,
            "f" => {
                let n = param.unwrap_or(0) as i32;
                if self.g.dest == Dest::Fonts {
                    self.font_def = self.font_def.max(-1);
                    self.fonts.push((n, 0));
                } else {
                    self.flush_raw();
                    self.g.cp = self
                        .fonts
                        .iter()
                        .rev()
                        .find(|(f, _)| *f == n)
                        .map(|(_, cp)| *cp)
                        .filter(|cp| *cp != 0)
                        .unwrap_or(self.ansi_cp);
                }
            }
            "fcharset" if self.g.dest == Dest::Fonts => {
                if let (Some(last), Some(p)) = (self.fonts.last_mut(), param) {
                    last.1 = charset_cp(p);
                }
            }
            "cpg" if self.g.dest == Dest::Fonts => {
                if let (Some(last), Some(p)) = (self.fonts.last_mut(), param) {
                    last.1 = u16::try_from(p).unwrap_or(0);
                }
            }
            "uc" => self.g.uc = param.unwrap_or(1).clamp(0, 16) as u32,
            "u" => {
                self.flush_raw();
                let v = param.unwrap_or(0);
                let unit = if v < 0 { (v + 65536) as u16 } else { v as u16 };
                self.skip_chars = self.g.uc;
                if self.text_dest() {
                    self.unit(unit)?;
                }
            }
            "v" => self.g.hidden = param != Some(0),
            "plain" => self.g.hidden = false,
            "ftnalt" if self.g.dest == Dest::Footnote => {
                self.g.dest = Dest::Endnote;
                if let Some(last) = self.side.last_mut() {
                    last.0 = Dest::Endnote;
                }
            }
            "par" | "sect" | "page" => {
                self.flush_raw();
                self.par()?;
            }
            "line" => self.literal("\n")?,
            "tab" => self.literal("\t")?,
            "emdash" => self.literal("\u{2014}")?,
            "endash" => self.literal("\u{2013}")?,
            "bullet" => self.literal("\u{2022}")?,
            "lquote" => self.literal("\u{2018}")?,
            "rquote" => self.literal("\u{2019}")?,
            "ldblquote" => self.literal("\u{201c}")?,
            "rdblquote" => self.literal("\u{201d}")?,
            "emspace" | "enspace" | "qmspace" => self.literal(" ")?,
            "pard" => {
                self.heading = None;
                if self.g.dest == Dest::Body {
                    self.in_table = false;
                }
            }
            "intbl" if self.g.dest == Dest::Body => self.in_table = true,
            "outlinelevel" => {
                self.heading = param.map(|l| (l.clamp(0, 8) + 1) as u8);
            }
            "cell" => {
                self.flush_raw();
                self.cell()?;
            }
            "nestcell" => {
                self.flush_raw();
                self.append_para_to_cell();
                self.cell.push(' ');
            }
            "row" => {
                self.flush_raw();
                self.end_row()?;
            }
            _ => {}
        }
        Ok(())
    }

    fn in_info(&self) -> bool {
        // The group just opened sits directly in `\info` (a skipped destination).
        self.stack.last().is_some_and(|g| g.dest == Dest::Skip)
    }

    fn unit(&mut self, u: u16) -> Result<()> {
        match u {
            0xD800..=0xDBFF => {
                self.high_surrogate = Some(u);
                Ok(())
            }
            0xDC00..=0xDFFF => {
                let c = self
                    .high_surrogate
                    .take()
                    .and_then(|h| char::decode_utf16([h, u]).next().and_then(|r| r.ok()))
                    .unwrap_or('\u{FFFD}');
                self.push_str(c.encode_utf8(&mut [0; 4]))
            }
            _ => {
                self.high_surrogate = None;
                let c = char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}');
                self.push_str(c.encode_utf8(&mut [0; 4]))
            }
        }
    }

    fn flush_raw(&mut self) {
        if self.raw.is_empty() {
            return;
        }
        let raw = std::mem::take(&mut self.raw);
        let enc: &'static Encoding = codepage::to_encoding(self.g.cp)
            .or_else(|| codepage::to_encoding(self.ansi_cp))
            .unwrap_or(encoding_rs::WINDOWS_1252);
        let (text, _, _) = enc.decode(&raw);
        // Limits are checked on the next push; decoding output is at most a few times the
        // input, which the file-size limit bounds.
        let _ = self.push_str(&text);
    }

    fn push_str(&mut self, s: &str) -> Result<()> {
        self.chars += s.len();
        if self.chars > self.max_chars {
            return Err(Error::too_much_text(self.max_chars));
        }
        match self.g.dest {
            Dest::Body => self.para.push_str(s),
            Dest::Skip | Dest::Fonts => {}
            _ => {
                if let Some((_, t)) = self.side.last_mut() {
                    if t.len() < (1 << 24) {
                        t.push_str(s);
                    }
                }
            }
        }
        Ok(())
    }

    fn par(&mut self) -> Result<()> {
        match self.g.dest {
            Dest::Body => {
                if self.in_table {
                    self.append_para_to_cell();
                    return Ok(());
                }
                let text = std::mem::take(&mut self.para);
                let text = text.trim();
                if !text.is_empty() && self.table_open {
                    self.table_open = false;
                    self.row = 0;
                    self.col = 0;
                }
                if !text.is_empty() {
                    let kind = match self.heading {
                        Some(level) => BlockKind::Heading { level },
                        None => BlockKind::Paragraph,
                    };
                    self.blocks.push(Block::new(kind, 1, text.to_string()));
                }
            }
            Dest::Skip | Dest::Fonts => {}
            _ => {
                if let Some((_, t)) = self.side.last_mut() {
                    t.push('\n');
                }
            }
        }
        Ok(())
    }

    fn append_para_to_cell(&mut self) {
        let text = std::mem::take(&mut self.para);
        let text = text.trim();
        if !text.is_empty() {
            if !self.cell.is_empty() && !self.cell.ends_with(' ') {
                self.cell.push('\n');
            }
            self.cell.push_str(text);
        }
    }

    fn cell(&mut self) -> Result<()> {
        if self.g.dest != Dest::Body {
            if let Some((_, t)) = self.side.last_mut() {
                t.push(' ');
            }
            return Ok(());
        }
        self.append_para_to_cell();
        if !self.table_open {
            self.table = self.tables;
            self.tables += 1;
            self.row = 0;
            self.col = 0;
        }
        let text = std::mem::take(&mut self.cell);
        let text = text.trim();
        if !text.is_empty() {
            let kind = BlockKind::TableCell {
                table: self.table,
                row: self.row,
                col: self.col,
            };
            self.blocks.push(Block::new(kind, 1, text.to_string()));
        }
        self.col += 1;
        self.in_table = true;
        self.table_open = true;
        Ok(())
    }

    fn end_row(&mut self) -> Result<()> {
        if self.g.dest != Dest::Body {
            return Ok(());
        }
        if self.col > 0 {
            self.row += 1;
        }
        self.col = 0;
        Ok(())
    }

    fn end_group(&mut self) {
        let Some(outer) = self.stack.pop() else {
            self.ended = true;
            return;
        };
        let inner = self.g;
        if inner.dest != outer.dest {
            match inner.dest {
                Dest::Header
                | Dest::Footer
                | Dest::Footnote
                | Dest::Endnote
                | Dest::Comment
                | Dest::Title
                | Dest::Author => {
                    if let Some((d, text)) = self.side.pop() {
                        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                        if !text.is_empty() {
                            match d {
                                Dest::Header if !self.headers.contains(&text) => {
                                    self.headers.push(text)
                                }
                                Dest::Footer if !self.footers.contains(&text) => {
                                    self.footers.push(text)
                                }
                                Dest::Footnote => self.notes.push((false, text)),
                                Dest::Endnote => self.notes.push((true, text)),
                                Dest::Comment => {
                                    self.blocks.push(Block::new(BlockKind::Comment, 1, text))
                                }
                                Dest::Title => self.meta.title = Some(text),
                                Dest::Author => self.meta.author = Some(text),
                                _ => {}
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        self.g = outer;
        if self.stack.is_empty() {
            self.ended = true;
        }
    }

    fn finish(mut self) -> Result<Document> {
        // Text after the last `\par`.
        if self.in_table {
            self.append_para_to_cell();
            self.in_table = false;
        }
        if !self.cell.trim().is_empty() {
            let text = std::mem::take(&mut self.cell);
            self.para = text;
        }
        self.g.dest = Dest::Body;
        self.par()?;
        let mut blocks: Vec<Block> = self
            .headers
            .into_iter()
            .map(|t| Block::new(BlockKind::Header, 1, t))
            .collect();
        blocks.append(&mut self.blocks);
        blocks.extend(
            self.footers
                .into_iter()
                .map(|t| Block::new(BlockKind::Footer, 1, t)),
        );
        for (endnote, text) in self.notes {
            let kind = if endnote {
                BlockKind::Endnote
            } else {
                BlockKind::Footnote
            };
            blocks.push(Block::new(kind, 1, text));
        }
        super::docx::assign_sections(&mut blocks);
        Ok(Document::unpaged(
            Format::Rtf,
            self.meta,
            false,
            self.warnings,
            blocks,
        ))
    }
}

/// The code page of an RTF font charset (`\fcharsetN`); 0 for "the document's".
fn charset_cp(charset: i64) -> u16 {
    match charset {
        128 => 932,
        129 => 949,
        130 => 1361,
        134 => 936,
        136 => 950,
        161 => 1253,
        162 => 1254,
        163 => 1258,
        177 => 1255,
        178 => 1256,
        186 => 1257,
        204 => 1251,
        222 => 874,
        238 => 1250,
        77 => 10000,
        _ => 0,
    }
}
