//! OpenDocument text (ODT) and spreadsheets (ODS), through the DOCX reader's bounded zip
//! package ([`super::docx::package`]: per-entry and total inflate limits) and streaming XML
//! reader ([`super::docx::xml`]: depth limit, time budget).
//!
//! `content.xml` is walked once, with an explicit stack and no tree:
//!
//! * `text:h` are headings (their `text:outline-level`), numbered as printed by the outline
//!   style (`text:outline-style` in `styles.xml`, read as a list style: "3.2.1" where its
//!   levels have a `style:num-format`; `text:restart-numbering`, `text:start-value` and
//!   `text:is-list-header` heeded), `text:p` paragraphs, paragraphs in a
//!   `text:list` list items (level by list nesting). A numbered item's first paragraph starts
//!   with its label, computed as a word processor prints it: the list's `text:list-style`
//!   (the list's `text:style-name`, inherited by nested lists, else the one the paragraph's
//!   style names, both parts read), its level's `text:list-level-style-number` (`num-format`
//!   1, a, A, i, I, other formats as decimal; `num-prefix`, `num-suffix`, `start-value`,
//!   `display-levels` for "3.1."), counters per level that restart below a new item and
//!   with each outermost list unless it continues one (`text:continue-numbering`,
//!   `text:continue-list`), and an item's own `text:start-value`. Bullets get no label; a
//!   `text:number` the writer cached is read only where no label was computed;
//! * each `table:table-cell` is one block with its table, row and column (repeated and covered
//!   cells advance the column); a table inside a cell adds its text to that cell;
//! * `text:note`s become footnotes or endnotes after the body; the note's citation mark stays
//!   where the note is cited, as printed, raised (digits as superscript digits, which NFKC
//!   reads as digits and which do not join a number before them: "by 2028¹");
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
    if format == Format::Odt {
        // List styles live in both parts; content.xml's automatic styles are read last.
        let mut styles_of = ListStyles::default();
        if let Some(text) = &styles {
            styles_of.read(text, "styles.xml", limits, deadline);
        }
        styles_of.read(&content, "content.xml", limits, deadline);
        w.styles = std::rc::Rc::new(styles_of);
    }
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
    /// `text:note-citation`: the note's mark, printed where the note is cited.
    Citation,
    /// `text:number`: a list item's or heading's number as the writer cached it.
    NumberCache,
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

/// An open `text:list`: its `text:style-name` and `xml:id`, if it has them.
struct ListFrame {
    style: Option<String>,
    id: Option<String>,
}

struct Walker {
    format: Format,
    tags: Vec<Tag>,
    skip: usize,
    active: usize,
    /// Open paragraphs: kind, text, and whether a list label was put before the text.
    paras: Vec<(BlockKind, String, bool)>,
    containers: Vec<Container>,
    tables: Vec<TableState>,
    /// The open `text:list`s.
    lists: Vec<ListFrame>,
    /// The list styles of the package, for list labels.
    styles: std::rc::Rc<ListStyles>,
    /// The current outermost list's item counters, one per level.
    counters: Vec<Option<u32>>,
    /// The headings' counters by outline level, for their numbers.
    outline: Vec<Option<u32>>,
    /// The counters an outermost list ended with, by list style and by `xml:id`, for lists
    /// that continue another (`text:continue-numbering`, `text:continue-list`).
    saved: std::collections::HashMap<String, Vec<Option<u32>>>,
    /// A list item whose first paragraph is still to come: its level.
    pending_item: Option<usize>,
    /// Inside a `text:note-citation`.
    citation: usize,
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
            lists: Vec::new(),
            styles: std::rc::Rc::new(ListStyles::default()),
            counters: vec![None; LIST_LEVELS],
            outline: vec![None; LIST_LEVELS],
            saved: std::collections::HashMap::new(),
            pending_item: None,
            citation: 0,
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

    /// A `text:list` opens. An outermost list starts its counters afresh unless it
    /// continues another list (`text:continue-list`, or `text:continue-numbering` for the
    /// last list of its style).
    fn start_list(&mut self, e: &quick_xml::events::BytesStart<'_>) {
        // An item holding only a list has no paragraph of its own to label.
        self.pending_item = None;
        let style = attr(e, b"style-name").filter(|s| !s.is_empty());
        let id = attr(e, b"id").filter(|s| !s.is_empty());
        if self.lists.is_empty() {
            let continued = attr(e, b"continue-list")
                .and_then(|from| self.saved.get(&format!("id:{from}")))
                .or_else(|| {
                    attr(e, b"continue-numbering")
                        .filter(|v| v == "true")
                        .and(style.as_ref())
                        .and_then(|s| self.saved.get(&format!("style:{s}")))
                });
            self.counters = match continued {
                Some(c) => c.clone(),
                None => vec![None; LIST_LEVELS],
            };
        }
        self.lists.push(ListFrame { style, id });
    }

    fn end_list(&mut self) {
        let Some(frame) = self.lists.pop() else {
            return;
        };
        if self.lists.is_empty() && self.saved.len() < MAX_STYLES {
            if let Some(style) = frame.style {
                self.saved
                    .insert(format!("style:{style}"), self.counters.clone());
            }
            if let Some(id) = frame.id {
                self.saved.insert(format!("id:{id}"), self.counters.clone());
            }
        }
    }

    /// The list style in force: the nearest open list's that names one.
    fn list_style(&self) -> Option<&str> {
        self.lists.iter().rev().find_map(|f| f.style.as_deref())
    }

    /// A `text:list-item` opens: its level's counter advances (or takes the item's
    /// `text:start-value`), the deeper levels start again.
    fn start_item(&mut self, e: &quick_xml::events::BytesStart<'_>) {
        let level = (self.lists.len() - 1).min(LIST_LEVELS - 1);
        let start = attr(e, b"start-value").and_then(|v| v.trim().parse::<u32>().ok());
        let first = self.styles.start(self.list_style(), level);
        if let Some(slot) = self.counters.get_mut(level) {
            *slot = Some(match (start, *slot) {
                (Some(v), _) => v,
                (None, Some(n)) => n.saturating_add(1),
                (None, None) => first,
            });
        }
        for deeper in self.counters.iter_mut().skip(level + 1) {
            *deeper = None;
        }
        self.pending_item = Some(level);
    }

    /// The number of the heading `e` opens, by the document's outline style
    /// (`text:outline-style`): its level's counter advances (or restarts at the heading's
    /// `text:start-value` where `text:restart-numbering` says so), the deeper levels start
    /// again. A heading marked `text:is-list-header` is not numbered and counts nothing.
    fn heading_label(&mut self, e: &quick_xml::events::BytesStart<'_>) -> Option<String> {
        if attr(e, b"is-list-header").is_some_and(|v| v == "true") {
            return None;
        }
        // Read as the heading's level is (a value that is no level is level 1).
        let level = attr(e, b"outline-level")
            .and_then(|l| l.trim().parse::<u8>().ok())
            .map_or(1, usize::from)
            .clamp(1, LIST_LEVELS)
            - 1;
        let restart = attr(e, b"restart-numbering").is_some_and(|v| v == "true");
        let start = attr(e, b"start-value").and_then(|v| v.trim().parse::<u32>().ok());
        let first = self.styles.start(Some(OUTLINE), level);
        let slot = &mut self.outline[level];
        *slot = Some(match (*slot, restart) {
            (Some(n), false) => n.saturating_add(1),
            _ => start.filter(|_| restart).unwrap_or(first),
        });
        for deeper in self.outline.iter_mut().skip(level + 1) {
            *deeper = None;
        }
        self.styles.label(OUTLINE, level, &self.outline)
    }

    /// The label of the item at `level` whose first paragraph `e` opens: by the list's
    /// style, else by the list style the paragraph's style names.
    fn item_label(&self, level: usize, e: &quick_xml::events::BytesStart<'_>) -> Option<String> {
        let para_style = attr(e, b"style-name");
        let style = self.list_style().or_else(|| {
            para_style
                .as_deref()
                .and_then(|p| self.styles.of_paragraph(p))
        })?;
        self.styles.label(style, level, &self.counters)
    }

    fn text(&mut self, t: &str) -> Result<()> {
        if self.skip > 0 || self.active == 0 {
            return Ok(());
        }
        if let Some((_, buf, _)) = self.paras.last_mut() {
            self.chars += t.len();
            if self.chars > self.max_chars {
                return Err(Error::too_much_text(self.max_chars));
            }
            if self.citation > 0 {
                buf.push_str(&superscript(t));
            } else {
                buf.push_str(t);
            }
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
            b"note-citation" => {
                self.citation += 1;
                Tag::Citation
            }
            b"tracked-changes" | b"sequence-decls" | b"variable-decls" | b"user-field-decls"
            | b"forms" | b"change-info" | b"annotation-end" => {
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
                } else if !self.lists.is_empty() {
                    BlockKind::ListItem {
                        level: u8::try_from(self.lists.len() - 1).unwrap_or(u8::MAX),
                    }
                } else {
                    BlockKind::Paragraph
                };
                self.paras.push((kind, String::new(), false));
                let running = matches!(self.containers.last(), Some(Container::Running { .. }));
                if name == b"h" && self.lists.is_empty() && !running {
                    if let Some(label) = self.heading_label(e) {
                        self.text(&label)?;
                        self.text(" ")?;
                        if let Some(p) = self.paras.last_mut() {
                            p.2 = true;
                        }
                    }
                }
                if let Some(level) = self.pending_item.take() {
                    if let Some(label) = self.item_label(level, e) {
                        self.text(&label)?;
                        self.text(" ")?;
                        if let Some(p) = self.paras.last_mut() {
                            p.2 = true;
                        }
                    }
                }
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
                self.start_list(e);
                Tag::List
            }
            b"list-item" if !self.lists.is_empty() => {
                self.start_item(e);
                Tag::Other
            }
            // The number a writer cached for a list item or heading: read where no label
            // was computed (a numbered heading), else the computed label stands.
            b"number" if qname.starts_with(b"text:") => {
                if self.paras.last().is_some_and(|p| p.2) {
                    Tag::Skip
                } else {
                    Tag::NumberCache
                }
            }
            b"list-header" => {
                self.pending_item = None;
                Tag::Other
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
                let Some((kind, text, _)) = self.paras.pop() else {
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
            Tag::List => self.end_list(),
            Tag::Citation => self.citation = self.citation.saturating_sub(1),
            Tag::NumberCache => self.text(" ")?,
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

/// Most list and paragraph styles kept from a package's parts.
const MAX_STYLES: usize = 20_000;
/// List levels ODF defines (`text:level` 1 to 10).
const LIST_LEVELS: usize = 10;

/// The key of the outline style (`text:outline-style`, the headings' numbering) among the
/// list styles: no style name can hold a NUL.
const OUTLINE: &str = "\0outline";

/// How one level of a list style labels its items.
#[derive(Clone, Debug, Default, PartialEq)]
enum LevelFormat {
    /// A bullet, an image, or a level the style does not define: no label.
    #[default]
    None,
    Number {
        /// `style:num-format`: "1", "a", "A", "i", "I" or "" (prefix and suffix only).
        format: String,
        /// `style:num-letter-sync`: "aa, bb" rather than "aa, ab" after "z".
        letter_sync: bool,
        prefix: String,
        suffix: String,
        start: u32,
        /// `text:display-levels`: how many levels' numbers the label shows ("3.1.").
        display: usize,
    },
}

/// The list styles (`text:list-style`) of `styles.xml` and `content.xml`, and which list
/// style each paragraph style names (`style:list-style-name`, through its parents).
#[derive(Debug, Default)]
struct ListStyles {
    lists: std::collections::HashMap<String, Vec<LevelFormat>>,
    /// Paragraph style -> (its list style, its parent style).
    paras: std::collections::HashMap<String, (Option<String>, Option<String>)>,
}

impl ListStyles {
    /// Read the list and paragraph styles of one part; damage ends the reading, keeping what
    /// was read.
    fn read(&mut self, text: &str, part: &str, limits: &Limits, deadline: &Deadline) {
        let mut r = XmlReader::new(text, part, limits.max_xml_depth, deadline);
        // The list style being read, and the depth it opened at.
        let mut open: Option<(String, usize)> = None;
        loop {
            match r.next() {
                Ok(Step::Start(_, e)) => {
                    let qname = e.name();
                    let name = local(qname.as_ref());
                    match name {
                        b"list-style" | b"outline-style" if self.lists.len() < MAX_STYLES => {
                            let style = if name == b"outline-style" {
                                OUTLINE.to_string()
                            } else {
                                attr(&e, b"name").unwrap_or_default()
                            };
                            self.lists
                                .insert(style.clone(), vec![LevelFormat::None; LIST_LEVELS]);
                            open = Some((style, r.depth()));
                        }
                        b"list-level-style-number"
                        | b"outline-level-style"
                        | b"list-level-style-bullet"
                        | b"list-level-style-image" => {
                            let Some((style, _)) = &open else { continue };
                            let level = attr(&e, b"level")
                                .and_then(|l| l.trim().parse::<usize>().ok())
                                .unwrap_or(1);
                            let Some(slot) = self
                                .lists
                                .get_mut(style)
                                .and_then(|levels| levels.get_mut(level.wrapping_sub(1)))
                            else {
                                continue;
                            };
                            *slot = if name == b"list-level-style-number"
                                || name == b"outline-level-style"
                            {
                                LevelFormat::Number {
                                    format: short(attr(&e, b"num-format")),
                                    letter_sync: attr(&e, b"num-letter-sync")
                                        .is_some_and(|v| v == "true"),
                                    prefix: short(attr(&e, b"num-prefix")),
                                    suffix: short(attr(&e, b"num-suffix")),
                                    start: attr(&e, b"start-value")
                                        .and_then(|v| v.trim().parse::<u32>().ok())
                                        .unwrap_or(1),
                                    display: attr(&e, b"display-levels")
                                        .and_then(|v| v.trim().parse::<usize>().ok())
                                        .unwrap_or(1)
                                        .clamp(1, LIST_LEVELS),
                                }
                            } else {
                                LevelFormat::None
                            };
                        }
                        b"style"
                            if qname.as_ref().starts_with(b"style:")
                                && self.paras.len() < MAX_STYLES =>
                        {
                            if let Some(style) = attr(&e, b"name") {
                                let list = attr(&e, b"list-style-name");
                                let parent = attr(&e, b"parent-style-name");
                                self.paras.insert(style, (list, parent));
                            }
                        }
                        _ => {}
                    }
                }
                Ok(Step::End) => {
                    if open.as_ref().is_some_and(|(_, d)| r.depth() < *d) {
                        open = None;
                    }
                }
                Ok(Step::Eof) | Err(_) => return,
                Ok(_) => {}
            }
        }
    }

    /// The list style a paragraph style names, through at most 16 parents.
    fn of_paragraph(&self, style: &str) -> Option<&str> {
        let mut name = style;
        for _ in 0..16 {
            let (list, parent) = self.paras.get(name)?;
            if let Some(list) = list.as_deref().filter(|l| !l.is_empty()) {
                return Some(list);
            }
            name = parent.as_deref()?;
        }
        None
    }

    /// The label of an item at `level` (0-based) of a list of style `style`, given the
    /// list's counters (`None` where a level has had no item yet).
    fn label(&self, style: &str, level: usize, counters: &[Option<u32>]) -> Option<String> {
        let levels = self.lists.get(style)?;
        let LevelFormat::Number {
            format,
            letter_sync,
            prefix,
            suffix,
            display,
            ..
        } = levels.get(level.min(LIST_LEVELS - 1))?
        else {
            return None;
        };
        let mut numbers = Vec::new();
        if !format.is_empty() {
            let first = (level + 1).saturating_sub(*display);
            for l in first..=level {
                let (fmt, sync, start) = match levels.get(l.min(LIST_LEVELS - 1)) {
                    Some(LevelFormat::Number {
                        format,
                        letter_sync,
                        start,
                        ..
                    }) => (format.as_str(), *letter_sync, *start),
                    _ => ("1", false, 1),
                };
                if l < level && fmt.is_empty() {
                    continue;
                }
                let n = counters.get(l).copied().flatten().unwrap_or(start);
                numbers.push(if l == level {
                    format_number(format, *letter_sync, n)
                } else {
                    format_number(fmt, sync, n)
                });
            }
        }
        let label = format!("{prefix}{}{suffix}", numbers.join("."));
        let label = label.trim();
        (!label.is_empty()).then(|| label.to_string())
    }

    /// The number an item at `level` of a list of style `style` starts at.
    fn start(&self, style: Option<&str>, level: usize) -> u32 {
        match style
            .and_then(|s| self.lists.get(s))
            .and_then(|levels| levels.get(level.min(LIST_LEVELS - 1)))
        {
            Some(LevelFormat::Number { start, .. }) => *start,
            _ => 1,
        }
    }
}

/// An attribute kept to a label's length (prefixes and suffixes are a character or two).
fn short(value: Option<String>) -> String {
    value.unwrap_or_default().chars().take(16).collect()
}

/// `n` in an ODF number format: decimal, letters ("a", "A"), roman numerals ("i", "I");
/// other formats are shown as decimal. Bounded: letters and numerals are at most a few
/// dozen characters whatever `n` is.
pub(super) fn format_number(format: &str, letter_sync: bool, n: u32) -> String {
    let upper = format.starts_with(['A', 'I']);
    let s = match format.chars().next() {
        Some('a' | 'A') if n > 0 => {
            if letter_sync {
                // a..z, aa..zz, aaa..: the letter repeated, at most 8 times (beyond: decimal).
                let times = (n - 1) / 26 + 1;
                if times > 8 {
                    return n.to_string();
                }
                let c = char::from(b'a' + ((n - 1) % 26) as u8);
                std::iter::repeat_n(c, times as usize).collect()
            } else {
                // a..z, aa, ab, ..: bijective base 26 (at most 7 letters for a u32).
                let mut m = n;
                let mut out = Vec::new();
                while m > 0 {
                    let d = (m - 1) % 26;
                    out.push(char::from(b'a' + d as u8));
                    m = (m - 1) / 26;
                }
                out.iter().rev().collect()
            }
        }
        Some('i' | 'I') if (1..4000).contains(&n) => roman(n),
        _ => return n.to_string(),
    };
    if upper {
        s.to_uppercase()
    } else {
        s
    }
}

fn roman(mut n: u32) -> String {
    const NUMERALS: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, s) in NUMERALS {
        while n >= value {
            out.push_str(s);
            n -= value;
        }
    }
    out
}

/// A note's citation mark as printed: superscript digits (the citation is raised), other
/// characters as they are. Superscript digits read as digits under NFKC, and a mark after a
/// number ("by 2028¹") does not change the number.
pub(super) fn superscript(t: &str) -> String {
    t.chars()
        .map(|c| match c {
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            '9' => '⁹',
            c => c,
        })
        .collect()
}
