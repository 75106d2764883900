//! Passages: the units that are classified and indexed, cut from an extracted [`Document`].
//!
//! A passage is a paragraph, a list item, a table row (its cells joined by ` | `) or a note.
//! Headings are not passages: they are the section path every block already carries. Running
//! headers, footers and comments are left out. A long paragraph is split at sentence
//! boundaries into passages of at most about [`SPLIT_TARGET_CHARS`] characters.
//!
//! Each passage has a stable id (the document's SHA-256 and the passage's ordinal), its page,
//! its section path, and character offsets (`start..end`, in Unicode scalar values) into the
//! document's plain text as [`Document::text`] renders it. A list introduced by a paragraph
//! that ends with a colon ("We will:") keeps that lead-in on each of its items, so that a
//! commitment spread over a list reads as one: see [`Passage::context_text`].

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::document::{list_marker, Block, BlockKind, Document};

/// A paragraph longer than this (in characters) is split at sentence boundaries.
pub const SPLIT_ABOVE_CHARS: usize = 700;
/// The size split paragraphs aim for, in characters (a single longer sentence stays whole).
pub const SPLIT_TARGET_CHARS: usize = 450;
/// A lead-in longer than this keeps only its last sentence.
pub const MAX_LEAD_IN_CHARS: usize = 300;

/// `COPY:ORDINAL`: one passage of one submitted copy of a file. `COPY` is [`copy_key`] of the
/// file's origin and content, so the same file submitted by two suppliers (or under two names)
/// gives two sets of ids, and a citation names exactly one of them; it is stable as long as the
/// file, where it was submitted and the segmentation rules do not change. Outside an index
/// (`segment`), `COPY` is the content's sha256.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PassageId(pub String);

/// Hex digits of a copy key: 64 bits, so that two copies in one index do not collide.
pub const COPY_KEY_LEN: usize = 16;

/// The key of one submitted copy: the first [`COPY_KEY_LEN`] hex digits of the sha256 of its
/// origin and its content's sha256.
pub fn copy_key(origin: &str, sha256: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(origin.as_bytes());
    h.update(b"\n");
    h.update(sha256.as_bytes());
    crate::extract::hex(&h.finalize()[..COPY_KEY_LEN / 2])
}

impl PassageId {
    /// Whether `id` has the shape of a passage id: a copy key or a sha256, `:`, an ordinal.
    pub fn is_valid(id: &str) -> bool {
        let Some((key, n)) = id.split_once(':') else {
            return false;
        };
        (key.len() == COPY_KEY_LEN || key.len() == 64)
            && key.bytes().all(|b| b.is_ascii_hexdigit())
            && !n.is_empty()
            && n.len() <= 10
            && n.bytes().all(|b| b.is_ascii_digit())
    }
}

impl fmt::Display for PassageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a passage was cut from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PassageKind {
    Paragraph,
    ListItem,
    TableRow,
    /// A footnote or endnote.
    Note,
}

/// One passage of a document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Passage {
    pub id: PassageId,
    /// 0-based position among the document's passages, in reading order.
    pub ordinal: u32,
    pub kind: PassageKind,
    /// 1-based page.
    pub page: u32,
    /// The heading path above the passage, outermost first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub section: Vec<String>,
    /// The text on one line (white space collapsed; list bullets removed).
    pub text: String,
    /// For a list item: the paragraph that introduced the list ("We will:").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_in: Option<String>,
    /// Character offsets into [`Document::text`]: the passage is within `start..end`.
    pub start: usize,
    pub end: usize,
    /// Set when the text was read by OCR: the mean word confidence of its block (0 to 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr: Option<f32>,
}

impl Passage {
    /// The text to classify: the lead-in and the item together, when there is a lead-in.
    pub fn context_text(&self) -> Cow<'_, str> {
        match &self.lead_in {
            Some(lead) => Cow::Owned(format!("{lead} {}", self.text)),
            None => Cow::Borrowed(&self.text),
        }
    }
}

impl Passage {
    /// The text a classifier reads: [`Passage::context_text`], except that a paragraph's
    /// closing lead-in sentence ("We will:") is left out: it introduces the items after it,
    /// which carry it as their context, and promises nothing by itself.
    pub fn classify_text(&self) -> Cow<'_, str> {
        if self.kind != PassageKind::Paragraph || !self.text.ends_with(':') {
            return self.context_text();
        }
        let cut = sentence_ends(&self.text)
            .into_iter()
            .rfind(|&e| e < self.text.len())
            .unwrap_or(0);
        Cow::Owned(self.text[..cut].trim_end().to_string())
    }
}

/// Words that end with a full stop without ending a sentence.
pub fn is_abbreviation(word: &str) -> bool {
    matches!(
        word.trim_start_matches(['(', '"', '\''])
            .to_ascii_lowercase()
            .as_str(),
        "e.g"
            | "i.e"
            | "etc"
            | "approx"
            | "no"
            | "nos"
            | "mr"
            | "mrs"
            | "ms"
            | "dr"
            | "st"
            | "vs"
            | "inc"
            | "cf"
            | "p.a"
            | "ltd"
            | "co"
            | "para"
            | "fig"
            | "ref"
    )
}

/// Byte offsets in `text` just after each sentence end: a `.`, `!` or `?` (with any closing
/// quote or bracket) followed by white space and then a capital letter, a digit or an opening
/// quote. Abbreviations ("e.g.", "Ltd.") do not end sentences.
fn sentence_ends(text: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if matches!(c, '.' | '!' | '?') {
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j].1, '"' | '\'' | '”' | '’' | ')') {
                j += 1;
            }
            let end = chars.get(j).map(|(p, _)| *p).unwrap_or(text.len());
            let next = chars[j..].iter().find(|(_, ch)| !ch.is_whitespace());
            let spaced = chars.get(j).is_some_and(|(_, ch)| ch.is_whitespace());
            let starts_sentence = next.is_some_and(|(_, ch)| {
                ch.is_uppercase() || ch.is_ascii_digit() || matches!(ch, '"' | '“' | '‘' | '•')
            });
            // The word before the stop, looked for in the last few bytes only: abbreviations are
            // short, and a scan back to the last space would be quadratic in a text without any.
            let word = || {
                let lo = (pos.saturating_sub(16)..=pos)
                    .find(|&k| text.is_char_boundary(k))
                    .unwrap_or(pos);
                text.get(lo..pos)
                    .and_then(|t| t.rsplit(char::is_whitespace).next())
                    .unwrap_or("")
            };
            if spaced && starts_sentence && !(c == '.' && is_abbreviation(word())) {
                ends.push(end);
            }
            i = j;
        } else {
            i += 1;
        }
    }
    ends
}

/// Byte ranges of `text` of at most about `target` characters each, cut at sentence ends.
fn split_ranges(text: &str, target: usize) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut last_end = 0;
    for end in sentence_ends(text) {
        let len = text.get(start..end).map(|s| s.chars().count()).unwrap_or(0);
        if len > target && last_end > start {
            ranges.push((start, last_end));
            start = last_end;
        }
        last_end = end;
    }
    ranges.push((start, text.len()));
    ranges.retain(|(s, e)| text.get(*s..*e).is_some_and(|t| !t.trim().is_empty()));
    ranges.into_iter().flat_map(|r| cut_long(text, r)).collect()
}

/// A passage longer than this (in bytes) is cut, at the last space before the limit if there is
/// one: a sentence this long is not prose (a run of text without stops, a data dump), and one
/// huge passage would make a useless hit and a slow record.
pub const MAX_PASSAGE_BYTES: usize = 4_000;

fn cut_long(text: &str, (mut start, end): (usize, usize)) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    while end - start > MAX_PASSAGE_BYTES {
        let mut limit = start + MAX_PASSAGE_BYTES;
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let cut = text
            .get(start..limit)
            .and_then(|t| t.rfind(char::is_whitespace))
            .map(|k| start + k)
            .filter(|&k| k > start + MAX_PASSAGE_BYTES / 2)
            .unwrap_or(limit);
        if cut <= start {
            break;
        }
        out.push((start, cut));
        start = cut;
    }
    out.push((start, end));
    out.retain(|(s, e)| text.get(*s..*e).is_some_and(|t| !t.trim().is_empty()));
    out
}

fn flatten(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A list bullet at the start of a paragraph: a bullet character ([`is_bullet`]), "-", "*",
/// "o ", or a list number ("1.", "a)", "(iv)"), followed by white space.
fn strip_bullet(text: &str) -> Option<&str> {
    let t = text.trim_start();
    let end = list_marker(t).or_else(|| {
        t.starts_with(['-', '*', 'o'])
            .then_some(1)
            .filter(|_| t[1..].starts_with(char::is_whitespace))
    })?;
    let rest = &t[end..];
    rest.starts_with(char::is_whitespace)
        .then(|| rest.trim_start())
}

/// A block with its character offset in [`Document::text`].
struct Placed<'a> {
    block: &'a Block,
    start: usize,
}

/// The body blocks in the order and at the offsets of [`Document::text`].
fn placed_blocks(doc: &Document) -> Vec<Placed<'_>> {
    let pages = doc.pages.max(1);
    let mut order: Vec<usize> = (0..doc.blocks.len())
        .filter(|&i| {
            doc.blocks
                .get(i)
                .is_some_and(|b| (1..=pages).contains(&b.page))
        })
        .collect();
    // Document::text() goes page by page, keeping the block order within a page.
    order.sort_by_key(|&i| (doc.blocks.get(i).map(|b| b.page).unwrap_or(0), i));
    let mut out = Vec::with_capacity(order.len());
    let mut offset = 0usize;
    let mut page = 1u32;
    for i in order {
        let Some(block) = doc.blocks.get(i) else {
            continue;
        };
        // One form feed after each page that the text has passed.
        offset += (block.page - page) as usize;
        page = block.page;
        if block.kind == BlockKind::Comment {
            continue;
        }
        out.push(Placed {
            block,
            start: offset,
        });
        offset += block.text.chars().count() + 1;
    }
    out
}

struct Builder<'a> {
    /// What ids start with: a copy key, or the content's sha256.
    key: &'a str,
    out: Vec<Passage>,
}

impl Builder<'_> {
    fn push(
        &mut self,
        kind: PassageKind,
        block: &Block,
        text: String,
        lead_in: Option<String>,
        start: usize,
        end: usize,
    ) {
        if text.is_empty() {
            return;
        }
        let ordinal = self.out.len() as u32;
        self.out.push(Passage {
            id: PassageId(format!("{}:{ordinal}", self.key)),
            ordinal,
            kind,
            page: block.page,
            section: block.section.clone(),
            text,
            lead_in,
            start,
            end,
            ocr: block.ocr,
        });
    }

    /// A paragraph or list item, split at sentences when long.
    fn text_block(&mut self, kind: PassageKind, placed: &Placed, lead_in: Option<String>) {
        let raw = placed.block.text.as_str();
        let (body, skipped) = match (kind, strip_bullet(raw)) {
            (PassageKind::ListItem | PassageKind::Paragraph, Some(rest)) => {
                (rest, raw.len() - rest.len())
            }
            _ => (raw, 0),
        };
        let flat_len = flatten(body).chars().count();
        let ranges = if flat_len > SPLIT_ABOVE_CHARS {
            split_ranges(body, SPLIT_TARGET_CHARS)
        } else {
            vec![(0, body.len())]
        };
        for (s, e) in ranges {
            let Some(piece) = body.get(s..e) else {
                continue;
            };
            let lead = piece.len() - piece.trim_start().len();
            let trail = piece.len() - piece.trim_end().len();
            let char_at = |byte: usize| raw.get(..byte).map(|t| t.chars().count()).unwrap_or(0);
            let start = placed.start + char_at(skipped + s + lead);
            let end = placed.start + char_at(skipped + e - trail);
            self.push(
                kind,
                placed.block,
                flatten(piece),
                lead_in.clone(),
                start,
                end,
            );
        }
    }
}

/// The last sentence of a long lead-in, or all of a short one.
fn lead_in_of(text: &str) -> String {
    let flat = flatten(text);
    if flat.chars().count() <= MAX_LEAD_IN_CHARS {
        return flat;
    }
    let start = sentence_ends(&flat).last().copied().unwrap_or(0);
    flat.get(start..).unwrap_or(&flat).trim().to_string()
}

/// A first row that reads as column headings: two or more short cells, none a sentence.
fn is_header_row(cells: &[(u32, String)]) -> bool {
    // A header cell is a label: short, no sentence in it. A stop at the end of a word or two
    // is an abbreviation ("No.", "Ref.", "Qty."), not the end of a sentence.
    cells.len() >= 2
        && cells.iter().all(|(_, t)| {
            let sentence_end = t.ends_with(['.', ';', ':']) && t.split_whitespace().count() > 2;
            t.chars().count() <= 60 && !sentence_end && !t.contains(". ")
        })
}

/// Cut a document into passages.
pub fn segment(doc: &Document) -> Vec<Passage> {
    segment_copy(doc, &doc.sha256)
}

/// [`segment`], with ids of the copy `key` ([`copy_key`]): how the index segments.
pub fn segment_copy(doc: &Document, key: &str) -> Vec<Passage> {
    let placed = placed_blocks(doc);
    let mut b = Builder {
        key,
        out: Vec::new(),
    };
    let mut lead_in: Option<String> = None;
    let mut headers: HashMap<u32, String> = HashMap::new();
    let mut i = 0;
    while i < placed.len() {
        let Some(p) = placed.get(i) else { break };
        match &p.block.kind {
            BlockKind::Header | BlockKind::Footer | BlockKind::Comment => {}
            BlockKind::Heading { .. } => lead_in = None,
            BlockKind::Footnote | BlockKind::Endnote => {
                b.text_block(PassageKind::Note, p, None);
            }
            BlockKind::ListItem { .. } => {
                b.text_block(PassageKind::ListItem, p, lead_in.clone());
            }
            BlockKind::Paragraph => {
                if strip_bullet(&p.block.text).is_some() {
                    b.text_block(PassageKind::ListItem, p, lead_in.clone());
                } else {
                    b.text_block(PassageKind::Paragraph, p, None);
                    let flat = p.block.text.trim_end();
                    lead_in = flat.ends_with(':').then(|| lead_in_of(flat));
                }
            }
            BlockKind::TableCell { table, row, .. } => {
                let key = (*table, *row);
                // The row's cells by column; a row cut by a page break comes in two parts,
                // with the running heads between them.
                let mut cells: Vec<(u32, String)> = Vec::new();
                let mut end = p.start;
                let mut k = i;
                while let Some(q) = placed.get(k) {
                    match q.block.kind {
                        BlockKind::TableCell { table, row, col } if (table, row) == key => {
                            let text = flatten(&q.block.text);
                            if !text.is_empty() {
                                match cells.iter_mut().find(|(c, _)| *c == col) {
                                    Some((_, t)) => {
                                        t.push(' ');
                                        t.push_str(&text);
                                    }
                                    None => cells.push((col, text)),
                                }
                                end = q.start + q.block.text.trim_end().chars().count();
                            }
                            k += 1;
                            i = k;
                        }
                        BlockKind::Header | BlockKind::Footer => k += 1,
                        _ => break,
                    }
                }
                cells.sort_by_key(|(c, _)| *c);
                let text = cells
                    .iter()
                    .map(|(_, t)| t.as_str())
                    .collect::<Vec<_>>()
                    .join(" | ");
                // The header row is the context of the rows under it.
                let context = match headers.get(table) {
                    Some(h) if *row > 0 => Some(h.clone()),
                    _ => None,
                };
                if *row == 0 && is_header_row(&cells) {
                    headers.insert(*table, text.clone());
                }
                b.push(PassageKind::TableRow, p.block, text, context, p.start, end);
                lead_in = None;
                continue;
            }
        }
        i += 1;
    }
    b.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_without_stops_or_spaces_is_cut_into_bounded_passages() {
        for text in [
            "x".repeat(50_000),
            "é".repeat(30_000),
            "word ".repeat(10_000),
            "a.b".repeat(20_000),
        ] {
            let ranges = split_ranges(&text, SPLIT_TARGET_CHARS);
            assert!(ranges.len() > 1, "{}", &text[..10]);
            let mut at = 0;
            for (s, e) in &ranges {
                assert!(e - s <= MAX_PASSAGE_BYTES, "{s}..{e}");
                assert!(text[at..*s].trim().is_empty(), "nothing skipped");
                at = *e;
            }
            assert_eq!(at, text.len());
        }
    }
    use crate::document::{Format, Metadata};

    fn doc(blocks: Vec<Block>, pages: u32) -> Document {
        Document {
            sha256: "ab12".into(),
            format: Format::Docx,
            pages,
            metadata: Metadata::default(),
            has_revisions: false,
            page_info: Vec::new(),
            warnings: Vec::new(),
            blocks,
        }
    }

    fn slice(text: &str, start: usize, end: usize) -> String {
        text.chars().skip(start).take(end - start).collect()
    }

    #[test]
    fn paragraphs_list_items_and_table_rows() {
        let mut heading = Block::new(BlockKind::Heading { level: 1 }, 1, "Social value");
        heading.section = vec![];
        let mut para = Block::new(BlockKind::Paragraph, 1, "We will:");
        para.section = vec!["Social value".into()];
        let blocks = vec![
            heading,
            para,
            Block::new(
                BlockKind::ListItem { level: 0 },
                1,
                "recruit 12 apprentices;",
            ),
            Block::new(BlockKind::ListItem { level: 0 }, 1, "plant 2,000\ntrees."),
            Block::new(BlockKind::Footer, 1, "Page 1"),
            Block::new(
                BlockKind::TableCell {
                    table: 0,
                    row: 0,
                    col: 0,
                },
                2,
                "Measure",
            ),
            Block::new(
                BlockKind::TableCell {
                    table: 0,
                    row: 0,
                    col: 1,
                },
                2,
                "Target",
            ),
            Block::new(
                BlockKind::TableCell {
                    table: 0,
                    row: 1,
                    col: 0,
                },
                2,
                "Apprentices",
            ),
            Block::new(
                BlockKind::TableCell {
                    table: 0,
                    row: 1,
                    col: 1,
                },
                2,
                "12",
            ),
            Block::new(BlockKind::Comment, 2, "reviewer note"),
            Block::new(BlockKind::Paragraph, 2, "After the table."),
        ];
        let d = doc(blocks, 2);
        let ps = segment(&d);
        let texts: Vec<&str> = ps.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "We will:",
                "recruit 12 apprentices;",
                "plant 2,000 trees.",
                "Measure | Target",
                "Apprentices | 12",
                "After the table."
            ]
        );
        assert_eq!(ps[1].lead_in.as_deref(), Some("We will:"));
        assert_eq!(ps[1].context_text(), "We will: recruit 12 apprentices;");
        assert_eq!(ps[5].lead_in, None);
        assert_eq!(ps[3].kind, PassageKind::TableRow);
        assert_eq!(ps[3].page, 2);
        assert_eq!(ps[0].section, vec!["Social value".to_string()]);
        assert_eq!(ps[4].id.0, "ab12:4");
        let text = d.text();
        for p in &ps {
            let s = slice(&text, p.start, p.end);
            if p.kind == PassageKind::TableRow {
                assert!(s.starts_with(p.text.split(" | ").next().unwrap()), "{s:?}");
                assert!(s.ends_with(p.text.rsplit(" | ").next().unwrap()), "{s:?}");
            } else {
                assert_eq!(flatten(&s), p.text);
            }
        }
    }

    #[test]
    fn bulleted_paragraphs_are_list_items_and_keep_the_lead_in() {
        let blocks = vec![
            Block::new(BlockKind::Paragraph, 1, "Over the contract we will:"),
            Block::new(BlockKind::Paragraph, 1, "• pay the Real Living Wage"),
            Block::new(BlockKind::Paragraph, 1, "2. hold listening events"),
            Block::new(BlockKind::Paragraph, 1, "Separately, a note."),
            Block::new(BlockKind::Paragraph, 1, "- not led in"),
        ];
        let d = doc(blocks, 1);
        let ps = segment(&d);
        assert_eq!(ps[1].kind, PassageKind::ListItem);
        assert_eq!(ps[1].text, "pay the Real Living Wage");
        assert_eq!(ps[2].text, "hold listening events");
        assert_eq!(ps[2].lead_in.as_deref(), Some("Over the contract we will:"));
        assert_eq!(ps[4].lead_in, None);
        let text = d.text();
        assert_eq!(
            slice(&text, ps[1].start, ps[1].end),
            "pay the Real Living Wage"
        );
    }

    #[test]
    fn a_closing_lead_in_is_not_classified_with_its_paragraph() {
        let d = doc(
            vec![
                Block::new(
                    BlockKind::Paragraph,
                    1,
                    "We hire locally. Over the contract we will:",
                ),
                Block::new(BlockKind::Paragraph, 1, "• train ten apprentices."),
                Block::new(BlockKind::Paragraph, 1, "We will:"),
            ],
            1,
        );
        let ps = segment(&d);
        assert_eq!(ps[0].classify_text(), "We hire locally.");
        assert_eq!(
            ps[1].classify_text(),
            "We hire locally. Over the contract we will: train ten apprentices."
        );
        assert_eq!(ps[2].classify_text(), "");
    }

    #[test]
    fn table_rows_carry_the_header_row_and_join_a_row_cut_by_a_page_break() {
        let cell = |row, col, page, text: &str| {
            Block::new(BlockKind::TableCell { table: 0, row, col }, page, text)
        };
        let d = doc(
            vec![
                cell(0, 0, 1, "Commitment"),
                cell(0, 1, 1, "By when"),
                cell(1, 0, 1, "Hire eight"),
                cell(1, 1, 1, "March"),
                Block::new(BlockKind::Footer, 1, "Page 1"),
                Block::new(BlockKind::Header, 2, "Commitment By when"),
                cell(1, 1, 2, "2029"),
                cell(1, 0, 2, "apprentices"),
            ],
            2,
        );
        let ps = segment(&d);
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[0].text, "Commitment | By when");
        assert_eq!(ps[0].lead_in, None);
        assert_eq!(ps[1].text, "Hire eight apprentices | March 2029");
        assert_eq!(ps[1].lead_in.as_deref(), Some("Commitment | By when"));
    }

    #[test]
    fn a_header_cell_may_be_an_abbreviation_but_not_a_sentence() {
        let row = |cells: &[&str]| -> Vec<(u32, String)> {
            cells
                .iter()
                .enumerate()
                .map(|(i, t)| (i as u32, t.to_string()))
                .collect()
        };
        assert!(is_header_row(&row(&[
            "No.",
            "Commitment",
            "Target",
            "Deadline"
        ])));
        assert!(is_header_row(&row(&["Ref.", "Qty.", "By when"])));
        assert!(!is_header_row(&row(&["We hire locally.", "Yes"])));
        assert!(!is_header_row(&row(&[
            "Item",
            "We will hire ten local people."
        ])));
        assert!(!is_header_row(&row(&["One cell only"])));
    }

    #[test]
    fn long_paragraphs_split_at_sentences() {
        let sentence = "We will recruit twelve apprentices from Crewe, e.g. through the college, and pay them the Real Living Wage. ";
        let long = sentence.repeat(12);
        let d = doc(vec![Block::new(BlockKind::Paragraph, 1, long.clone())], 1);
        let ps = segment(&d);
        assert!(ps.len() > 1);
        for p in &ps {
            assert!(p.text.chars().count() <= SPLIT_TARGET_CHARS + sentence.len());
            assert!(p.text.starts_with("We will recruit"), "{}", p.text);
            assert_eq!(flatten(&slice(&d.text(), p.start, p.end)), p.text);
        }
        let joined: Vec<&str> = ps.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined.join(" "), flatten(&long));
    }

    #[test]
    fn blocks_outside_the_page_range_and_empty_blocks_are_ignored() {
        let blocks = vec![
            Block::new(BlockKind::Paragraph, 7, "stray"),
            Block::new(BlockKind::Paragraph, 1, "   "),
            Block::new(BlockKind::Paragraph, 1, "kept"),
        ];
        let ps = segment(&doc(blocks, 1));
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].text, "kept");
        assert_eq!(ps[0].ordinal, 0);
    }

    #[test]
    fn sentence_ends_skip_abbreviations_and_lowercase() {
        let t = "We pay Acme Ltd. for work. Then more, e.g. this. and not this! \"Quoted\" end";
        let ends = sentence_ends(t);
        let pieces: Vec<&str> = ends.iter().map(|&e| &t[..e]).collect();
        assert_eq!(pieces.len(), 2, "{pieces:?}");
        assert!(pieces[0].ends_with("for work."));
        assert!(pieces[1].ends_with("not this!"));
    }
}
