//! OpenDocument text (ODT) and spreadsheets (ODS), through the DOCX reader's bounded zip
//! package ([`super::docx::package`]: per-entry and total inflate limits) and streaming XML
//! reader ([`super::docx::xml`]: depth limit, time budget).
//!
//! `content.xml` is walked once, with an explicit stack and no tree:
//!
//! * `text:h` are headings (their `text:outline-level`), `text:p` paragraphs, paragraphs in a
//!   `text:list` list items (level by list nesting);
//! * each `table:table-cell` is one block with its table, row and column (repeated and covered
//!   cells advance the column); a table inside a cell adds its text to that cell;
//! * `text:note`s become footnotes or endnotes after the body (their citation mark dropped),
//!   `office:annotation`s comments after the paragraph they sit in;
//! * tracked changes: the document as it would print, so insertions (inline) are kept and the
//!   deleted text (kept apart in `text:tracked-changes`) is dropped;
//! * `text:s`, `text:tab` and `text:line-break` as spaces, tab and line break; alt text of
//!   frames (`svg:title`, `svg:desc`) left out; text boxes as paragraphs.
//!
//! Headers and footers come from the master pages in `styles.xml` (each text once, headers
//! before the body, footers after it), metadata from `meta.xml`. In a spreadsheet each
//! `table:table` is a sheet, read as [`super::xlsx`] reads one: the sheet name as section,
//! rows as table cells under the first row of two or more cells. Cells and rows repeated by
//! `number-columns-repeated` / `number-rows-repeated` are repeated up to [`MAX_REPEAT`]
//! times; all cells count against [`Limits::max_cells`].

use std::collections::BTreeMap;

use super::docx::package::Package;
use super::docx::xml::{attr, decode_part_checked, local, RefText, Step, Stop, XmlReader};
use super::xlsx::{sheet_blocks, Rows};
use crate::document::{Block, BlockKind, Document, Format, Metadata};
use crate::error::{Error, Result};
use crate::limits::{Deadline, Limits};

/// Most copies made of a repeated non-empty cell or row.
pub const MAX_REPEAT: u32 = 64;

fn malformed(format: Format, detail: impl std::fmt::Display) -> Error {
    Error::Malformed {
        format: if format == Format::Ods { "ODS" } else { "ODT" },
        detail: detail.to_string(),
    }
}

/// Extract an ODT or ODS package.
pub fn extract(bytes: &[u8], limits: &Limits, deadline: &Deadline) -> Result<Document> {
    let mut pkg = Package::open(bytes, limits, deadline).map_err(|e| match e {
        Error::Malformed { detail, .. } => malformed(Format::Odt, detail),
        e => e,
    })?;
    let mimetype = match pkg.read("mimetype")? {
        Some(p) => String::from_utf8_lossy(&p.bytes).trim().to_string(),
        None => String::new(),
    };
    let format = if mimetype.contains("spreadsheet") {
        Format::Ods
    } else {
        Format::Odt
    };
    if !mimetype.is_empty() && !mimetype.contains("opendocument.text") && format == Format::Odt {
        return Err(Error::UnknownFormat(format!(
            "an OpenDocument package of type {mimetype}"
        )));
    }
    if pkg.has("META-INF/manifest.xml") {
        if let Some(m) = pkg.read("META-INF/manifest.xml")? {
            if String::from_utf8_lossy(&m.bytes).contains("encryption-data") {
                return Err(Error::PasswordRequired);
            }
        }
    }
    let mut warnings = Vec::new();
    let mut part = |name: &str, warnings: &mut Vec<String>| -> Result<Option<String>> {
        match pkg.read(name)? {
            None => Ok(None),
            Some(p) => {
                if let Some(why) = &p.damaged {
                    warnings.push(format!("{why}; text after this point is missing"));
                }
                let (text, replaced) = decode_part_checked(&p.bytes);
                if replaced {
                    warnings.push(format!("{name}: invalid UTF-8 in the part, read as U+FFFD"));
                }
                Ok(Some(text.into_owned()))
            }
        }
    };
    let Some(content) = part("content.xml", &mut warnings)? else {
        return Err(malformed(format, "the package has no content.xml"));
    };
    let styles = part("styles.xml", &mut warnings)?;
    let meta = part("meta.xml", &mut warnings)?;

    let mut w = Walker::new(format, limits);
    let body = w.run(&content, "content.xml", limits, deadline)?;
    if let Some(why) = body {
        if w.blocks.is_empty() && w.notes.is_empty() {
            return Err(malformed(format, why));
        }
        warnings.push(format!("{why}; text after this point is missing"));
    }
    let mut running = Walker::new(format, limits);
    running.chars = w.chars;
    if let Some(styles) = &styles {
        if let Some(why) = running.run(styles, "styles.xml", limits, deadline)? {
            warnings.push(format!("{why}; headers and footers after it are missing"));
        }
    }
    let mut blocks = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (header, text) in &running.running {
        if *header && seen.insert(text.clone()) {
            blocks.push(Block::new(BlockKind::Header, 1, text.clone()));
        }
    }
    blocks.append(&mut w.blocks);
    for (header, text) in &running.running {
        if !*header && seen.insert(text.clone()) {
            blocks.push(Block::new(BlockKind::Footer, 1, text.clone()));
        }
    }
    for (endnote, text) in w.notes.drain(..) {
        let kind = if endnote {
            BlockKind::Endnote
        } else {
            BlockKind::Footnote
        };
        blocks.push(Block::new(kind, 1, text));
    }
    if format == Format::Odt {
        super::docx::assign_sections(&mut blocks);
    }
    let metadata = match &meta {
        Some(m) => read_meta(m, limits, deadline),
        None => Metadata::default(),
    };
    Ok(Document::unpaged(
        format,
        metadata,
        w.has_revisions,
        warnings.into_iter().chain(w.warnings),
        blocks,
    ))
}

fn read_meta(text: &str, limits: &Limits, deadline: &Deadline) -> Metadata {
    let mut meta = Metadata::default();
    let mut r = XmlReader::new(text, "meta.xml", limits.max_xml_depth, deadline);
    let mut field: Option<Vec<u8>> = None;
    let mut value = String::new();
    loop {
        match r.next() {
            Ok(Step::Start(_, e)) => {
                field = Some(e.name().as_ref().to_vec());
                value.clear();
            }
            Ok(Step::Text(t)) if field.is_some() && value.len() < 4096 => value.push_str(&t),
            Ok(Step::End) => {
                if let Some(f) = field.take() {
                    let v = value.trim().to_string();
                    if !v.is_empty() {
                        let slot = match f.as_slice() {
                            b"dc:title" => &mut meta.title,
                            b"dc:subject" => &mut meta.subject,
                            b"meta:initial-creator" => &mut meta.author,
                            b"dc:creator" if meta.author.is_none() => &mut meta.author,
                            b"meta:creation-date" => &mut meta.created,
                            b"dc:date" => &mut meta.modified,
                            b"meta:generator" => &mut meta.producer,
                            _ => continue,
                        };
                        *slot = Some(v);
                    }
                }
            }
            Ok(Step::Eof) | Err(_) => return meta,
            Ok(_) => {}
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Tag {
    Other,
    /// An element whose content is not text of the document (tracked deletions, citation
    /// marks, alt text, declarations, styles).
    Skip,
    /// `office:body`, or a header or footer of a master page: text is read inside.
    Active,
    Para,
    List,
    Table,
    Row,
    Cell,
    Note,
    Annotation,
    TextBox,
}

/// Where a finished paragraph's text goes.
#[derive(Debug)]
enum Container {
    Body,
    Running { header: bool, text: String },
    Cell { text: String },
    Note { endnote: bool, text: String },
    Annotation { text: String },
}

struct TableState {
    index: u32,
    /// The sheet name (spreadsheets).
    name: String,
    row: u32,
    row_repeat: u32,
    col: u32,
    cell_repeat: u32,
    rows: Rows,
    started: bool,
}

struct Walker {
    format: Format,
    tags: Vec<Tag>,
    skip: usize,
    active: usize,
    paras: Vec<(BlockKind, String)>,
    containers: Vec<Container>,
    tables: Vec<TableState>,
    lists: u8,
    next_table: u32,
    blocks: Vec<Block>,
    notes: Vec<(bool, String)>,
    comments: Vec<String>,
    running: Vec<(bool, String)>,
    has_revisions: bool,
    warnings: Vec<String>,
    chars: usize,
    max_chars: usize,
    cells: usize,
    max_cells: usize,
}

impl Walker {
    fn new(format: Format, limits: &Limits) -> Walker {
        Walker {
            format,
            tags: Vec::new(),
            skip: 0,
            active: 0,
            paras: Vec::new(),
            containers: vec![Container::Body],
            tables: Vec::new(),
            lists: 0,
            next_table: 0,
            blocks: Vec::new(),
            notes: Vec::new(),
            comments: Vec::new(),
            running: Vec::new(),
            has_revisions: false,
            warnings: Vec::new(),
            chars: 0,
            max_chars: limits.max_text_chars,
            cells: 0,
            max_cells: limits.max_cells,
        }
    }

    /// Walk one part. `Ok(Some(why))` when the XML is damaged (what was read stands).
    fn run(
        &mut self,
        text: &str,
        part: &str,
        limits: &Limits,
        deadline: &Deadline,
    ) -> Result<Option<String>> {
        let mut r = XmlReader::new(text, part, limits.max_xml_depth, deadline);
        loop {
            let step = match r.next() {
                Ok(s) => s,
                Err(Stop::Fatal(e)) => return Err(e),
                Err(Stop::Broken(why)) => {
                    // Keep what was open: close everything as if the part ended here.
                    while !self.tags.is_empty() {
                        self.end()?;
                    }
                    return Ok(Some(why));
                }
            };
            match step {
                Step::Start(_, e) => {
                    let qname = e.name();
                    let tag = self.start(qname.as_ref(), &e)?;
                    self.tags.push(tag);
                }
                Step::End => self.end()?,
                Step::Text(t) => self.text(&t)?,
                Step::Char(RefText::Char(c)) => self.text(c.encode_utf8(&mut [0; 4]))?,
                Step::Char(RefText::Invalid(_)) => self.text("\u{FFFD}")?,
                Step::Eof => return Ok(None),
            }
        }
    }

    fn text(&mut self, t: &str) -> Result<()> {
        if self.skip > 0 || self.active == 0 {
            return Ok(());
        }
        if let Some((_, buf)) = self.paras.last_mut() {
            self.chars += t.len();
            if self.chars > self.max_chars {
                return Err(Error::too_much_text(self.max_chars));
            }
            buf.push_str(t);
        }
        Ok(())
    }

    fn start(&mut self, qname: &[u8], e: &quick_xml::events::BytesStart<'_>) -> Result<Tag> {
        let name = local(qname);
        if self.skip > 0 {
            if name == b"changed-region" {
                self.has_revisions = true;
            }
            self.skip += 1;
            return Ok(Tag::Skip);
        }
        if self.active == 0 {
            return Ok(match name {
                b"body" | b"header" | b"footer" | b"header-left" | b"footer-left"
                | b"header-first" | b"footer-first"
                    if qname.starts_with(b"office:") || qname.starts_with(b"style:") =>
                {
                    self.active += 1;
                    if name != b"body" {
                        self.containers.push(Container::Running {
                            header: name.starts_with(b"header"),
                            text: String::new(),
                        });
                    }
                    Tag::Active
                }
                _ => Tag::Other,
            });
        }
        let tag = match name {
            b"tracked-changes" | b"note-citation" | b"sequence-decls" | b"variable-decls"
            | b"user-field-decls" | b"forms" | b"change-info" | b"annotation-end" => {
                if name == b"tracked-changes" {
                    self.has_revisions = true;
                }
                Tag::Skip
            }
            b"title" | b"desc" if qname.starts_with(b"svg:") => Tag::Skip,
            _ if qname.starts_with(b"dc:") || qname.starts_with(b"meta:") => Tag::Skip,
            b"h" | b"p" => {
                let kind = if name == b"h" {
                    let level = attr(e, b"outline-level")
                        .and_then(|l| l.trim().parse::<u8>().ok())
                        .unwrap_or(1)
                        .clamp(1, 9);
                    BlockKind::Heading { level }
                } else if self.lists > 0 {
                    BlockKind::ListItem {
                        level: self.lists - 1,
                    }
                } else {
                    BlockKind::Paragraph
                };
                self.paras.push((kind, String::new()));
                Tag::Para
            }
            b"s" => {
                let n = attr(e, b"c")
                    .and_then(|c| c.trim().parse::<usize>().ok())
                    .unwrap_or(1)
                    .min(100);
                self.text(&" ".repeat(n))?;
                Tag::Other
            }
            b"tab" => {
                self.text("\t")?;
                Tag::Other
            }
            b"line-break" => {
                self.text("\n")?;
                Tag::Other
            }
            b"list" => {
                self.lists = self.lists.saturating_add(1);
                Tag::List
            }
            b"table" if qname.starts_with(b"table:") => {
                let index = self.next_table;
                self.next_table += 1;
                self.tables.push(TableState {
                    index,
                    name: attr(e, b"name").unwrap_or_default(),
                    row: 0,
                    row_repeat: 1,
                    col: 0,
                    cell_repeat: 1,
                    rows: BTreeMap::new(),
                    started: false,
                });
                Tag::Table
            }
            b"table-row" => {
                if let Some(t) = self.tables.last_mut() {
                    if t.started {
                        t.row = t.row.saturating_add(t.row_repeat);
                    }
                    t.started = true;
                    t.col = 0;
                    t.row_repeat = repeat(e, b"number-rows-repeated");
                }
                Tag::Row
            }
            b"table-cell" | b"covered-table-cell" => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell_repeat = repeat(e, b"number-columns-repeated");
                }
                self.containers.push(Container::Cell {
                    text: String::new(),
                });
                Tag::Cell
            }
            b"note" => {
                let endnote = attr(e, b"note-class").is_some_and(|c| c == "endnote");
                self.containers.push(Container::Note {
                    endnote,
                    text: String::new(),
                });
                Tag::Note
            }
            b"annotation" => {
                self.containers.push(Container::Annotation {
                    text: String::new(),
                });
                Tag::Annotation
            }
            b"text-box" => {
                self.containers.push(Container::Body);
                Tag::TextBox
            }
            _ => Tag::Other,
        };
        if tag == Tag::Skip {
            self.skip += 1;
        }
        Ok(tag)
    }

    fn end(&mut self) -> Result<()> {
        let Some(tag) = self.tags.pop() else {
            return Ok(());
        };
        match tag {
            Tag::Other => {}
            Tag::Skip => self.skip = self.skip.saturating_sub(1),
            Tag::Active => {
                self.active = self.active.saturating_sub(1);
                if let Some(Container::Running { header, text }) = self.containers.last() {
                    let text = text.trim().to_string();
                    if !text.is_empty() {
                        self.running.push((*header, text));
                    }
                    self.containers.pop();
                }
            }
            Tag::Para => {
                let Some((kind, text)) = self.paras.pop() else {
                    return Ok(());
                };
                let text = text.trim().to_string();
                match self.containers.last_mut() {
                    Some(Container::Body) | None => {
                        if !text.is_empty() {
                            self.blocks.push(Block::new(kind, 1, text));
                        }
                        // Comments follow the paragraph they are anchored in.
                        if self.paras.is_empty() {
                            for c in std::mem::take(&mut self.comments) {
                                self.blocks.push(Block::new(BlockKind::Comment, 1, c));
                            }
                        }
                    }
                    Some(
                        Container::Running { text: buf, .. }
                        | Container::Cell { text: buf }
                        | Container::Note { text: buf, .. }
                        | Container::Annotation { text: buf },
                    ) => {
                        if !text.is_empty() {
                            if !buf.is_empty() {
                                buf.push('\n');
                            }
                            buf.push_str(&text);
                        }
                    }
                }
            }
            Tag::List => self.lists = self.lists.saturating_sub(1),
            Tag::Table => {
                if let Some(t) = self.tables.pop() {
                    if self.format == Format::Ods && !t.rows.is_empty() {
                        let name = if t.name.is_empty() {
                            format!("Sheet{}", t.index + 1)
                        } else {
                            t.name
                        };
                        sheet_blocks(&name, t.rows, t.index, &mut self.blocks);
                    }
                }
            }
            Tag::Row => {}
            Tag::Cell => {
                let Some(Container::Cell { text }) = self.containers.pop() else {
                    return Ok(());
                };
                let text = text.trim().to_string();
                let nested = matches!(self.containers.last(), Some(Container::Cell { .. }));
                let Some(t) = self.tables.last_mut() else {
                    return Ok(());
                };
                let (row, col, repeat) = (t.row, t.col, t.cell_repeat);
                t.col = t.col.saturating_add(repeat);
                if text.is_empty() {
                    return Ok(());
                }
                if nested {
                    // A table in a cell: its text joins the outer cell.
                    if let Some(Container::Cell { text: outer }) = self.containers.last_mut() {
                        if !outer.is_empty() {
                            outer.push('\n');
                        }
                        outer.push_str(&text);
                    }
                    return Ok(());
                }
                if self.format == Format::Ods {
                    let copies_r = t.row_repeat.min(MAX_REPEAT);
                    let copies_c = repeat.min(MAX_REPEAT);
                    for dr in 0..copies_r {
                        for dc in 0..copies_c {
                            self.cells += 1;
                            if self.cells > self.max_cells {
                                return Err(Error::limit(
                                    "max_cells",
                                    format!("more than {} non-empty cells", self.max_cells),
                                ));
                            }
                            t.rows
                                .entry(row.saturating_add(dr))
                                .or_default()
                                .push((col.saturating_add(dc), text.clone()));
                        }
                    }
                } else {
                    let kind = BlockKind::TableCell {
                        table: t.index,
                        row,
                        col,
                    };
                    self.blocks.push(Block::new(kind, 1, text));
                }
            }
            Tag::Note => {
                if let Some(Container::Note { endnote, text }) = self.containers.pop() {
                    let text = text.trim().to_string();
                    if !text.is_empty() {
                        self.notes.push((endnote, text));
                    }
                }
            }
            Tag::Annotation => {
                if let Some(Container::Annotation { text }) = self.containers.pop() {
                    let text = text.trim().to_string();
                    if !text.is_empty() {
                        self.comments.push(text);
                    }
                }
            }
            Tag::TextBox => {
                self.containers.pop();
            }
        }
        Ok(())
    }
}

fn repeat(e: &quick_xml::events::BytesStart<'_>, name: &[u8]) -> u32 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}
