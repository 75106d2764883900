//! The streaming walk of one WordprocessingML story (document body, header, footer, notes,
//! comments) into raw blocks of text.
//!
//! No tree is built: quick-xml events are consumed once, with an explicit stack of what is
//! open (paragraphs, table cells, text boxes, fields, `AlternateContent`) whose size is bounded
//! by [`Limits::max_xml_depth`](crate::Limits) through [`XmlReader`]. What is kept is the
//! document as it would print:
//!
//! * runs' text (`w:t`), tabs, breaks, non-breaking hyphens, symbols; soft hyphens dropped;
//! * field results, not field codes (text between `begin` and `separate` is code);
//! * tracked insertions kept, deletions and moved-from text dropped, old formatting skipped;
//! * content controls' content, not their properties;
//! * of an `mc:AlternateContent`, the first `mc:Choice` only (the VML fallback of a text box
//!   repeats the same text);
//! * text boxes once, as paragraphs of their own;
//! * each table cell as one block with its table, row and (grid) column.

use super::numbering::Numbering;
use super::styles::Styles;
use super::symbols::map_sym;
use super::xml::{attr, local, Ns, RefText, Step, Stop, XmlReader};
use crate::document::BlockKind;
use crate::error::{Error, Result};
use crate::limits::Deadline;

/// Whether Office Math text (`m:t`) is kept as text.
const KEEP_MATH_TEXT: bool = true;

/// Private-use code points of the `F020`-`F0FF` range symbol fonts use.
fn is_symbol_code(c: char) -> bool {
    matches!(c, '\u{F020}'..='\u{F0FF}')
}

/// One block of text found by the walk, before notes and sections are assembled.
#[derive(Debug)]
pub struct RawBlock {
    pub kind: BlockKind,
    pub text: String,
    /// Index into [`WalkOutput::items`] when the block belongs to a note or comment.
    pub item: Option<usize>,
    /// Ids of comments anchored in this block.
    pub comments: Vec<String>,
}

/// A note or comment element (`w:footnote`, `w:endnote`, `w:comment`) of a notes part.
#[derive(Debug)]
pub struct Item {
    pub id: String,
    /// `w:type`: `separator`, `continuationSeparator`, ... for the non-content notes.
    pub note_type: Option<String>,
}

/// Header and footer references of one section (`w:sectPr`): (`w:type`, relationship id).
#[derive(Debug, Default)]
pub struct SectionRefs {
    pub headers: Vec<(String, String)>,
    pub footers: Vec<(String, String)>,
}

/// The end of a section: blocks before `end` (and after the previous break) belong to it.
#[derive(Debug)]
pub struct SectionBreak {
    pub end: usize,
    pub refs: SectionRefs,
}

#[derive(Debug, Default)]
pub struct WalkOutput {
    pub blocks: Vec<RawBlock>,
    pub items: Vec<Item>,
    pub sections: Vec<SectionBreak>,
    pub has_revisions: bool,
    pub warnings: Vec<String>,
    /// Why the part's XML could not be read to its end, if it could not.
    pub broken: Option<String>,
    /// Footnote and endnote references in reading order: (`true` for an endnote, id).
    pub note_refs: Vec<(bool, String)>,
}

/// What each open element is, as far as its end matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    Other,
    Para,
    ParaProps,
    SectProps,
    Text,
    Table,
    Row,
    Cell,
    TextBox,
    Alternate,
    Item,
    Run,
}

#[derive(Debug, Default)]
struct Para {
    text: String,
    style: Option<String>,
    num_id: Option<String>,
    ilvl: Option<u8>,
    outline: Option<u8>,
    comments: Vec<String>,
    sect: Option<SectionRefs>,
}

#[derive(Debug)]
enum Container {
    Cell {
        table: u32,
        row: u32,
        col: u32,
        span: u32,
        text: String,
        comments: Vec<String>,
    },
    TextBox,
}

#[derive(Debug)]
struct TableState {
    index: u32,
    row: Option<u32>,
    col: u32,
}

/// Walks one story part. Create one per part; [`Walker::run`] consumes it.
pub struct Walker<'a> {
    styles: &'a Styles,
    numbering: &'a Numbering,
    out: WalkOutput,
    tags: Vec<Tag>,
    paras: Vec<Para>,
    containers: Vec<Container>,
    tables: Vec<TableState>,
    /// Open fields; `true` while in the field code (before `separate`).
    fields: Vec<bool>,
    in_code: usize,
    /// Open `mc:AlternateContent`s; `true` once a branch has been taken.
    alternates: Vec<bool>,
    sect: Option<SectionRefs>,
    in_text: usize,
    in_para_props: bool,
    /// The font a run names (`w:rFonts`), for text typed in a symbol font's private-use codes.
    run_font: Option<String>,
    item: Option<usize>,
    /// Text found outside any paragraph (malformed, but kept).
    loose: String,
    /// Blocks of text boxes anchored in a paragraph still open: they follow that paragraph.
    deferred: Vec<RawBlock>,
    next_table: u32,
    chars: usize,
    max_chars: usize,
}

impl<'a> Walker<'a> {
    /// `next_table` numbers tables on from earlier parts; `chars` is the text kept so far in
    /// this file, counted against `max_chars`.
    pub fn new(
        styles: &'a Styles,
        numbering: &'a Numbering,
        next_table: u32,
        chars: usize,
        max_chars: usize,
    ) -> Walker<'a> {
        Walker {
            styles,
            numbering,
            out: WalkOutput::default(),
            tags: Vec::new(),
            paras: Vec::new(),
            containers: Vec::new(),
            tables: Vec::new(),
            fields: Vec::new(),
            in_code: 0,
            alternates: Vec::new(),
            sect: None,
            in_text: 0,
            in_para_props: false,
            run_font: None,
            item: None,
            loose: String::new(),
            deferred: Vec::new(),
            next_table,
            chars,
            max_chars,
        }
    }

    /// Walk the part `text` (named `part` in messages). Returns the blocks, the table counter
    /// and the character count to carry on to the next part. Malformed XML ends the walk with
    /// a warning and the text read so far; limits and the time budget are errors.
    pub fn run(
        mut self,
        text: &str,
        part: &str,
        max_depth: usize,
        deadline: &Deadline,
    ) -> Result<(WalkOutput, u32, usize)> {
        let mut reader = XmlReader::new(text, part, max_depth, deadline);
        loop {
            let step = match reader.next() {
                Ok(s) => s,
                Err(Stop::Fatal(e)) => return Err(e),
                Err(Stop::Broken(m)) => {
                    self.out.broken = Some(m);
                    break;
                }
            };
            match step {
                Step::Start(ns, e) => self.start(ns, &e, &mut reader)?,
                Step::End => {
                    if let Some(tag) = self.tags.pop() {
                        self.end(tag)?;
                    }
                }
                Step::Text(t) => {
                    if self.in_text > 0 {
                        self.push_text(&t)?;
                    }
                }
                Step::Char(r) => {
                    if self.in_text > 0 {
                        match r {
                            RefText::Char(c) => self.push_char(c)?,
                            RefText::Invalid(what) => {
                                if self.out.warnings.len() < 20 {
                                    self.out.warnings.push(format!("{part}: {what}"));
                                }
                                self.push_char('\u{FFFD}')?;
                            }
                        }
                    }
                }
                Step::Eof => break,
            }
        }
        // Close whatever a truncated part left open, so its text is kept.
        while let Some(tag) = self.tags.pop() {
            self.end(tag)?;
        }
        self.flush_loose();
        self.out.blocks.append(&mut self.deferred);
        Ok((self.out, self.next_table, self.chars))
    }

    fn skip(&mut self, reader: &mut XmlReader<'_>) -> Result<()> {
        match reader.skip_element() {
            Ok(()) => Ok(()),
            Err(Stop::Fatal(e)) => Err(e),
            Err(Stop::Broken(m)) => {
                self.out.broken = Some(m);
                Ok(())
            }
        }
    }

    fn start(
        &mut self,
        ns: Ns,
        e: &quick_xml::events::BytesStart<'_>,
        reader: &mut XmlReader<'_>,
    ) -> Result<()> {
        let qname = e.name();
        let name = local(qname.as_ref());
        let tag = match ns {
            Ns::W => match name {
                b"p" => {
                    self.flush_loose();
                    self.paras.push(Para::default());
                    Tag::Para
                }
                b"pPr" => {
                    self.in_para_props = !self.paras.is_empty();
                    Tag::ParaProps
                }
                b"pStyle" if self.in_para_props => {
                    if let Some(p) = self.paras.last_mut() {
                        p.style = attr(e, b"val");
                    }
                    Tag::Other
                }
                b"numId" | b"ilvl" | b"outlineLvl" if self.in_para_props => {
                    if let Some(p) = self.paras.last_mut() {
                        let val = attr(e, b"val");
                        match name {
                            b"numId" => p.num_id = val,
                            b"ilvl" => p.ilvl = val.and_then(|v| v.parse().ok()),
                            _ => p.outline = val.and_then(|v| v.parse().ok()),
                        }
                    }
                    Tag::Other
                }
                b"sectPr" => {
                    self.sect = Some(SectionRefs::default());
                    Tag::SectProps
                }
                b"headerReference" | b"footerReference" => {
                    if let (Some(sect), Some(id)) = (self.sect.as_mut(), attr(e, b"id")) {
                        let kind = attr(e, b"type").unwrap_or_else(|| "default".into());
                        if name == b"headerReference" {
                            sect.headers.push((kind, id));
                        } else {
                            sect.footers.push((kind, id));
                        }
                    }
                    Tag::Other
                }
                // Deleted and moved-away content is not in the document as it prints.
                b"del" | b"moveFrom" => {
                    self.out.has_revisions = true;
                    return self.skip(reader);
                }
                b"ins" | b"moveTo" => {
                    self.out.has_revisions = true;
                    Tag::Other
                }
                // Tracked formatting changes hold the old properties: not the document.
                b"pPrChange" | b"rPrChange" | b"sectPrChange" | b"tblPrChange"
                | b"tblPrExChange" | b"trPrChange" | b"tcPrChange" | b"tblGridChange"
                | b"numberingChange" | b"cellIns" | b"cellDel" | b"cellMerge" => {
                    self.out.has_revisions = true;
                    return self.skip(reader);
                }
                b"delText" | b"delInstrText" | b"instrText" | b"sdtPr" | b"sdtEndPr"
                | b"fldData" | b"tabs" => return self.skip(reader),
                b"t" => {
                    self.in_text += 1;
                    Tag::Text
                }
                b"r" => {
                    self.run_font = None;
                    Tag::Run
                }
                b"rFonts" if !self.in_para_props => {
                    self.run_font = attr(e, b"ascii")
                        .or_else(|| attr(e, b"hAnsi"))
                        .or_else(|| attr(e, b"cs"));
                    Tag::Other
                }
                b"tab" | b"ptab" if !self.in_para_props => {
                    self.push_char('\t')?;
                    Tag::Other
                }
                b"br" | b"cr" if !self.in_para_props => {
                    self.push_char('\n')?;
                    Tag::Other
                }
                b"noBreakHyphen" => {
                    self.push_char('-')?;
                    Tag::Other
                }
                b"sym" => {
                    let font = attr(e, b"font");
                    if let Some(c) = attr(e, b"char").and_then(|c| map_sym(font.as_deref(), &c)) {
                        self.push_char(c)?;
                    }
                    Tag::Other
                }
                b"fldChar" => {
                    match attr(e, b"fldCharType").as_deref() {
                        Some("begin") => {
                            self.fields.push(true);
                            self.in_code += 1;
                        }
                        Some("separate") => {
                            if let Some(top) = self.fields.last_mut() {
                                if *top {
                                    *top = false;
                                    self.in_code = self.in_code.saturating_sub(1);
                                }
                            }
                        }
                        Some("end") if self.fields.pop() == Some(true) => {
                            self.in_code = self.in_code.saturating_sub(1);
                        }
                        _ => {}
                    }
                    Tag::Other
                }
                b"tbl" => {
                    self.flush_cell_part();
                    let index = self.next_table;
                    self.next_table = self.next_table.saturating_add(1);
                    self.tables.push(TableState {
                        index,
                        row: None,
                        col: 0,
                    });
                    Tag::Table
                }
                b"tr" => {
                    if let Some(t) = self.tables.last_mut() {
                        t.row = Some(t.row.map_or(0, |r| r.saturating_add(1)));
                        t.col = 0;
                    }
                    Tag::Row
                }
                b"gridBefore" => {
                    if let (Some(t), Some(n)) = (
                        self.tables.last_mut(),
                        attr(e, b"val").and_then(|v| v.parse::<u32>().ok()),
                    ) {
                        t.col = t.col.saturating_add(n.min(1000));
                    }
                    Tag::Other
                }
                b"tc" => {
                    self.flush_loose();
                    let (table, row, col) = match self.tables.last() {
                        Some(t) => (t.index, t.row.unwrap_or(0), t.col),
                        None => (self.next_table, 0, 0),
                    };
                    self.containers.push(Container::Cell {
                        table,
                        row,
                        col,
                        span: 1,
                        text: String::new(),
                        comments: Vec::new(),
                    });
                    Tag::Cell
                }
                b"gridSpan" => {
                    if let (Some(Container::Cell { span, .. }), Some(n)) = (
                        self.containers.last_mut(),
                        attr(e, b"val").and_then(|v| v.parse::<u32>().ok()),
                    ) {
                        *span = n.clamp(1, 1000);
                    }
                    Tag::Other
                }
                b"txbxContent" => {
                    self.containers.push(Container::TextBox);
                    Tag::TextBox
                }
                b"footnote" | b"endnote" | b"comment" if reader.depth() == 2 => {
                    self.flush_loose();
                    self.item = Some(self.out.items.len());
                    self.out.items.push(Item {
                        id: attr(e, b"id").unwrap_or_default(),
                        note_type: attr(e, b"type"),
                    });
                    Tag::Item
                }
                b"footnoteReference" | b"endnoteReference" => {
                    if let Some(id) = attr(e, b"id") {
                        self.out.note_refs.push((name == b"endnoteReference", id));
                    }
                    Tag::Other
                }
                b"commentReference" => {
                    if let Some(id) = attr(e, b"id") {
                        self.anchor_comment(id);
                    }
                    Tag::Other
                }
                _ => Tag::Other,
            },
            Ns::M if name == b"t" && KEEP_MATH_TEXT => {
                self.in_text += 1;
                Tag::Text
            }
            Ns::Mc => match name {
                b"AlternateContent" => {
                    self.alternates.push(false);
                    Tag::Alternate
                }
                b"Choice" | b"Fallback" => match self.alternates.last_mut() {
                    Some(taken) if *taken => return self.skip(reader),
                    Some(taken) => {
                        *taken = true;
                        Tag::Other
                    }
                    None => Tag::Other,
                },
                _ => Tag::Other,
            },
            _ => Tag::Other,
        };
        self.tags.push(tag);
        Ok(())
    }

    fn end(&mut self, tag: Tag) -> Result<()> {
        match tag {
            Tag::Other => {}
            Tag::Para => {
                if let Some(p) = self.paras.pop() {
                    self.finish_para(p);
                }
            }
            Tag::ParaProps => self.in_para_props = false,
            Tag::SectProps => {
                if let Some(refs) = self.sect.take() {
                    match self.paras.last_mut() {
                        // A section break carried by a paragraph: it ends after that paragraph.
                        Some(p) if self.in_para_props => p.sect = Some(refs),
                        _ => self.out.sections.push(SectionBreak {
                            end: self.out.blocks.len(),
                            refs,
                        }),
                    }
                }
            }
            Tag::Text => self.in_text = self.in_text.saturating_sub(1),
            Tag::Table => {
                self.tables.pop();
            }
            Tag::Row => {}
            Tag::Run => self.run_font = None,
            Tag::Cell => {
                self.flush_loose();
                if let Some(Container::Cell {
                    table,
                    row,
                    col,
                    span,
                    text,
                    comments,
                }) = self.containers.pop()
                {
                    self.emit(BlockKind::TableCell { table, row, col }, text, comments);
                    if let Some(t) = self.tables.last_mut() {
                        t.col = t.col.saturating_add(span);
                    }
                }
            }
            Tag::TextBox => {
                self.flush_loose();
                self.containers.pop();
            }
            Tag::Alternate => {
                self.alternates.pop();
            }
            Tag::Item => {
                self.flush_loose();
                self.item = None;
                // A field left open in one note does not swallow the next.
                self.fields.clear();
                self.in_code = 0;
            }
        }
        Ok(())
    }

    /// A comment anchored here: it follows the block that holds the anchor.
    fn anchor_comment(&mut self, id: String) {
        if let Some(p) = self.paras.last_mut() {
            p.comments.push(id);
        } else if let Some(Container::Cell { comments, .. }) = self.containers.last_mut() {
            comments.push(id);
        } else {
            self.emit(BlockKind::Paragraph, String::new(), vec![id]);
        }
    }

    fn finish_para(&mut self, p: Para) {
        let mut text = p.text.trim().to_string();
        // Every numbered paragraph advances its list; one with text shows its label.
        if let Some(label) = self.list_label(&p) {
            if !text.is_empty() {
                text = format!("{label} {text}");
            }
        }
        let in_cell = matches!(self.containers.last(), Some(Container::Cell { .. }));
        if in_cell {
            if let Some(Container::Cell {
                text: cell,
                comments,
                ..
            }) = self.containers.last_mut()
            {
                if !text.is_empty() {
                    if !cell.is_empty() {
                        cell.push('\n');
                    }
                    cell.push_str(&text);
                }
                comments.extend(p.comments);
            }
        } else {
            let kind = self.para_kind(&p);
            self.emit(kind, text, p.comments);
        }
        if self.paras.is_empty() {
            self.out.blocks.append(&mut self.deferred);
        }
        if let Some(refs) = p.sect {
            self.out.sections.push(SectionBreak {
                end: self.out.blocks.len(),
                refs,
            });
        }
    }

    /// The list (`numId`, level) a paragraph is in, by its own numbering or its style's.
    fn list_of<'p>(&'p self, p: &'p Para) -> Option<(&'p str, u8)> {
        let style = self.styles.get(p.style.as_deref());
        let style_num = style.and_then(|s| s.num.as_ref());
        let id = p
            .num_id
            .as_deref()
            .or_else(|| style_num.and_then(|n| n.num_id.as_deref()))?;
        let level = p
            .ilvl
            .or_else(|| style_num.and_then(|n| n.ilvl))
            .unwrap_or(0);
        self.numbering.is_list(id).then_some((id, level))
    }

    /// The label a numbered paragraph shows ("2.", "a)", "1.3"), advancing its list.
    fn list_label(&self, p: &Para) -> Option<String> {
        let (id, level) = self.list_of(p)?;
        self.numbering.label(id, level)
    }

    /// Heading (by outline level or style), list item (by numbering), or paragraph.
    fn para_kind(&self, p: &Para) -> BlockKind {
        let style = self.styles.get(p.style.as_deref());
        let heading = match p.outline {
            Some(o) => (o <= 8).then_some(o + 1),
            None => style.and_then(|s| s.heading),
        };
        if let Some(level) = heading {
            return BlockKind::Heading { level };
        }
        match self.list_of(p) {
            Some((_, level)) => BlockKind::ListItem { level },
            None => BlockKind::Paragraph,
        }
    }

    fn emit(&mut self, kind: BlockKind, text: String, comments: Vec<String>) {
        let text = text.trim().to_string();
        if text.is_empty() && comments.is_empty() {
            return;
        }
        let block = RawBlock {
            kind,
            text,
            item: self.item,
            comments,
        };
        if self.paras.is_empty() {
            self.out.blocks.push(block);
        } else {
            self.deferred.push(block);
        }
    }

    /// A table starts inside a cell: what the cell holds so far goes out first, so that the
    /// nested table's cells follow it in reading order.
    fn flush_cell_part(&mut self) {
        self.flush_loose();
        if let Some(Container::Cell {
            table,
            row,
            col,
            text,
            comments,
            ..
        }) = self.containers.last_mut()
        {
            if text.trim().is_empty() && comments.is_empty() {
                return;
            }
            let kind = BlockKind::TableCell {
                table: *table,
                row: *row,
                col: *col,
            };
            let text = std::mem::take(text);
            let comments = std::mem::take(comments);
            self.emit(kind, text, comments);
        }
    }

    fn flush_loose(&mut self) {
        if self.loose.trim().is_empty() {
            self.loose.clear();
            return;
        }
        let text = std::mem::take(&mut self.loose);
        if let Some(Container::Cell { text: cell, .. }) = self.containers.last_mut() {
            if !cell.is_empty() {
                cell.push('\n');
            }
            cell.push_str(text.trim());
        } else {
            self.emit(BlockKind::Paragraph, text, Vec::new());
        }
    }

    fn count(&mut self, n: usize) -> Result<()> {
        self.chars = self.chars.saturating_add(n);
        if self.chars > self.max_chars {
            return Err(Error::too_much_text(self.max_chars));
        }
        Ok(())
    }

    fn push_text(&mut self, s: &str) -> Result<()> {
        if self.in_code > 0 {
            return Ok(());
        }
        if s.chars().any(is_symbol_code) {
            // A symbol font's codes typed as text: map them as `w:sym` would be.
            let font = self.run_font.clone();
            let mapped: String = s
                .chars()
                .filter_map(|c| {
                    if is_symbol_code(c) {
                        map_sym(
                            Some(font.as_deref().unwrap_or("Symbol")),
                            &format!("{:X}", c as u32),
                        )
                    } else {
                        Some(c)
                    }
                })
                .collect();
            return self.push_plain(&mapped);
        }
        self.push_plain(s)
    }

    fn push_plain(&mut self, s: &str) -> Result<()> {
        self.count(s.len())?;
        match self.paras.last_mut() {
            Some(p) => p.text.push_str(s),
            None => self.loose.push_str(s),
        }
        Ok(())
    }

    fn push_char(&mut self, c: char) -> Result<()> {
        if self.in_code > 0 {
            return Ok(());
        }
        self.count(1)?;
        match self.paras.last_mut() {
            Some(p) => p.text.push(c),
            None => self.loose.push(c),
        }
        Ok(())
    }
}
