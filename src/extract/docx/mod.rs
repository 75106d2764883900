//! DOCX text extraction: our own reader over `zip` and `quick-xml`, built for untrusted files.
//!
//! [`extract`] opens the package ([`package`]), finds the main document and its parts through
//! relationships, reads styles ([`styles`]) and lists ([`numbering`]), walks the body, headers,
//! footers, notes and comments with one streaming walker ([`body`], [`notes`]) and assembles
//! the blocks in reading order: each section's headers, its body, its footers; then footnotes
//! and endnotes. Comments follow the block they are anchored in. Every block gets the heading
//! path above it. DOCX has no pages: everything is page 1.
//!
//! Nothing here recurses on input, every loop is bounded by the input or a limit, and damaged
//! parts give the text read before the damage plus a warning (see [`crate::Limits`]).

mod body;
mod meta;
mod notes;
mod numbering;
pub(crate) mod package;
mod styles;
mod symbols;
pub(crate) mod xml;

use std::collections::{HashMap, HashSet};

use crate::document::{Block, BlockKind, Document, Format, Metadata};
use crate::error::{Error, Result};
use crate::limits::{Deadline, Limits};

use body::{RawBlock, SectionRefs, WalkOutput, Walker};
use notes::{notes_of, story_text, Note};
use numbering::Numbering;
use package::{Package, Rel};
use styles::Styles;

/// Content types of a WordprocessingML main part (document, template, macro-enabled).
fn is_word_main(ct: &str) -> bool {
    ct.contains("wordprocessingml.document.main+xml")
        || ct.contains("wordprocessingml.template.main+xml")
        || ct.contains("ms-word.document.macroenabled.main+xml")
        || ct.contains("ms-word.template.macroenabledtemplate.main+xml")
        || ct.contains("ms-word.document.macroEnabled.main+xml")
        || ct.contains("ms-word.template.macroEnabledTemplate.main+xml")
}

/// Extract a DOCX (or DOTX, DOCM) package.
pub fn extract(bytes: &[u8], limits: &Limits, deadline: &Deadline) -> Result<Document> {
    let mut r = Reader {
        pkg: Package::open(bytes, limits, deadline)?,
        limits,
        deadline,
        warnings: Vec::new(),
        damaged: Vec::new(),
        chars: 0,
        next_table: 0,
    };
    if r.pkg.duplicate_names > 0 {
        r.warnings.push(format!(
            "{} zip entries repeat the name of another; the last of each name was read, and \
             other programs may show the other",
            r.pkg.duplicate_names
        ));
    }
    let main = r.main_part()?;
    let metadata = r.metadata()?;
    let rels = r.pkg.rels(&main)?;
    let styles = r.styles(&rels)?;
    let numbering = r.numbering(&rels)?;
    let ctx = Ctx {
        styles: &styles,
        numbering: &numbering,
    };

    let body = r.walk(&main, &ctx)?;
    // A main document that gave no text because it is damaged is an error, not an empty file.
    let damage = r
        .damaged
        .iter()
        .find(|(p, _)| *p == main)
        .map(|(_, w)| w.clone());
    let body = match (body, damage) {
        (Some(out), Some(why)) if out.blocks.is_empty() => return Err(Error::malformed_docx(why)),
        (Some(out), _) => out,
        (None, Some(why)) => return Err(Error::malformed_docx(why)),
        (None, None) => {
            return Err(Error::malformed_docx(format!(
                "the main document part {main} is missing"
            )))
        }
    };
    let mut has_revisions = body.has_revisions;

    let by_id: HashMap<&str, &Rel> = rels.iter().map(|rel| (rel.id.as_str(), rel)).collect();
    let mut notes_of_kind = |kind: &str, r: &mut Reader<'_>| -> Result<Vec<Note>> {
        let mut all = Vec::new();
        for rel in rels.iter().filter(|rel| rel.kind == kind && !rel.external) {
            if let Some(out) = r.walk(&rel.target, &ctx)? {
                has_revisions |= out.has_revisions;
                all.extend(notes_of(&out));
            }
        }
        Ok(all)
    };
    let footnotes = notes_of_kind("footnotes", &mut r)?;
    let endnotes = notes_of_kind("endnotes", &mut r)?;
    let comments = notes_of_kind("comments", &mut r)?;

    let mut asm = Assembly {
        blocks: Vec::new(),
        comments: comments
            .iter()
            .map(|n| (n.id.clone(), n.text.clone()))
            .collect(),
        comments_done: HashSet::new(),
        parts_done: HashSet::new(),
    };
    let mut start = 0;
    for brk in &body.sections {
        let end = brk.end.clamp(start, body.blocks.len());
        has_revisions |= asm.running(&brk.refs, true, &by_id, &mut r, &ctx)?;
        asm.body(body.blocks.get(start..end).unwrap_or_default());
        has_revisions |= asm.running(&brk.refs, false, &by_id, &mut r, &ctx)?;
        start = end;
    }
    asm.body(body.blocks.get(start..).unwrap_or_default());
    // Footnotes, then endnotes, each in the order of their references; a note nothing
    // refers to does not print.
    for (endnotes_pass, kind, notes) in [
        (false, BlockKind::Footnote, footnotes),
        (true, BlockKind::Endnote, endnotes),
    ] {
        let mut by_id: HashMap<String, String> =
            notes.into_iter().map(|n| (n.id, n.text)).collect();
        for (is_endnote, id) in &body.note_refs {
            if *is_endnote == endnotes_pass {
                // `remove`: a note referenced twice prints once.
                if let Some(text) = by_id.remove(id) {
                    asm.push(kind.clone(), text);
                }
            }
        }
    }
    // Comments whose anchor was not found still belong to the file.
    for note in comments {
        if !asm.comments_done.contains(&note.id) {
            asm.push(BlockKind::Comment, note.text);
        }
    }

    let mut blocks = asm.blocks;
    assign_sections(&mut blocks);
    Ok(Document::unpaged(
        Format::Docx,
        metadata,
        has_revisions,
        r.warnings,
        blocks,
    ))
}

/// Styles and lists, shared by every story's walk.
struct Ctx<'a> {
    styles: &'a Styles,
    numbering: &'a Numbering,
}

/// The package and what accumulates while its parts are read.
struct Reader<'a> {
    pkg: Package<'a>,
    limits: &'a Limits,
    deadline: &'a Deadline,
    warnings: Vec<String>,
    /// Parts that could not be read to their end, and why (also in `warnings`).
    damaged: Vec<(String, String)>,
    /// Characters of text kept so far (against `max_text_chars`).
    chars: usize,
    /// Tables numbered so far, across parts.
    next_table: u32,
}

impl Reader<'_> {
    /// A part's text; `None` if the package has no such part or none of it can be read.
    /// Damage becomes a warning (the text read before it is kept).
    fn part_text(&mut self, name: &str) -> Result<Option<String>> {
        match self.pkg.read(name)? {
            None => Ok(None),
            Some(part) => match part.damaged {
                Some(why) if part.bytes.is_empty() => {
                    self.damage(name, format!("{why}; {name} could not be read"));
                    Ok(None)
                }
                Some(why) => {
                    let n = part.bytes.len();
                    self.damage(
                        name,
                        format!("{why}; only the first {n} bytes of {name} could be read"),
                    );
                    Ok(Some(self.decode(name, &part.bytes)))
                }
                None => Ok(Some(self.decode(name, &part.bytes))),
            },
        }
    }

    /// A part's bytes as text; replaced invalid sequences are reported.
    fn decode(&mut self, name: &str, bytes: &[u8]) -> String {
        let (text, replaced) = xml::decode_part_checked(bytes);
        if replaced {
            self.warnings.push(format!(
                "{name}: invalid UTF-8 or UTF-16 in the part, read as U+FFFD"
            ));
        }
        text.into_owned()
    }

    fn damage(&mut self, part: &str, why: String) {
        self.warnings.push(why.clone());
        self.damaged.push((part.to_string(), why));
    }

    /// The main document part: from the package relationships, else the content types,
    /// else the conventional name.
    fn main_part(&mut self) -> Result<String> {
        let rels = self.pkg.rels("")?;
        let types = self.pkg.content_types()?;
        let by_rel = rels
            .iter()
            .filter(|r| r.kind == "officeDocument" && !r.external)
            .map(|r| r.target.clone())
            .find(|t| self.pkg.has(t));
        if let Some(part) = by_rel {
            match types.of(&part) {
                Some(ct)
                    if !is_word_main(ct) && !ct.is_empty() && ct.contains("officedocument") =>
                {
                    return Err(Error::UnknownFormat(format!(
                        "a zip package, but not a Word document: its main part {part} is {ct}"
                    )));
                }
                _ => return Ok(part),
            }
        }
        if let Some(part) = types.find_part(is_word_main) {
            if self.pkg.has(part) {
                return Ok(part.to_string());
            }
        }
        if self.pkg.has("word/document.xml") {
            return Ok("word/document.xml".to_string());
        }
        let what = if self.pkg.part_names().any(|n| n.starts_with("xl/")) {
            "a spreadsheet (XLSX) package"
        } else if self.pkg.part_names().any(|n| n.starts_with("ppt/")) {
            "a presentation (PPTX) package"
        } else if self
            .pkg
            .part_names()
            .any(|n| n == "mimetype" || n == "content.xml")
        {
            "an OpenDocument package"
        } else {
            "a zip archive without a Word document part"
        };
        Err(Error::UnknownFormat(format!("not a DOCX: {what}")))
    }

    fn metadata(&mut self) -> Result<Metadata> {
        let mut meta = Metadata::default();
        let rels = self.pkg.rels("")?;
        let find = |kind: &str, fallback: &str| {
            rels.iter()
                .find(|r| r.kind == kind && !r.external)
                .map_or_else(|| fallback.to_string(), |r| r.target.clone())
        };
        let core = find("core-properties", "docProps/core.xml");
        let app = find("extended-properties", "docProps/app.xml");
        let depth = self.limits.max_xml_depth;
        if let Some(text) = self.part_text(&core)? {
            meta::read_core(&text, &core, depth, self.deadline, &mut meta)?;
        }
        if let Some(text) = self.part_text(&app)? {
            meta::read_app(&text, &app, depth, self.deadline, &mut meta)?;
        }
        Ok(meta)
    }

    fn related_part(&self, rels: &[Rel], kind: &str) -> Option<String> {
        rels.iter()
            .find(|r| r.kind == kind && !r.external)
            .map(|r| r.target.clone())
    }

    fn styles(&mut self, rels: &[Rel]) -> Result<Styles> {
        let Some(part) = self.related_part(rels, "styles") else {
            return Ok(Styles::default());
        };
        let Some(text) = self.part_text(&part)? else {
            return Ok(Styles::default());
        };
        let (styles, broken) =
            Styles::parse(&text, &part, self.limits.max_xml_depth, self.deadline)?;
        self.warnings.extend(broken);
        Ok(styles)
    }

    fn numbering(&mut self, rels: &[Rel]) -> Result<Numbering> {
        let Some(part) = self.related_part(rels, "numbering") else {
            return Ok(Numbering::default());
        };
        let Some(text) = self.part_text(&part)? else {
            return Ok(Numbering::default());
        };
        let (numbering, broken) =
            Numbering::parse(&text, &part, self.limits.max_xml_depth, self.deadline)?;
        self.warnings.extend(broken);
        Ok(numbering)
    }

    /// Walk one story part. `None` if the part is missing or unreadable.
    fn walk(&mut self, part: &str, ctx: &Ctx<'_>) -> Result<Option<WalkOutput>> {
        let Some(text) = self.part_text(part)? else {
            return Ok(None);
        };
        let walker = Walker::new(
            ctx.styles,
            ctx.numbering,
            self.next_table,
            self.chars,
            self.limits.max_text_chars,
        );
        let (mut out, next_table, chars) =
            walker.run(&text, part, self.limits.max_xml_depth, self.deadline)?;
        self.next_table = next_table;
        self.chars = chars;
        self.warnings.append(&mut out.warnings);
        if let Some(why) = out.broken.take() {
            self.damage(part, format!("{why}; text after this point is missing"));
        }
        Ok(Some(out))
    }
}

/// The blocks in reading order, as they are put together.
struct Assembly {
    blocks: Vec<Block>,
    /// Comment id -> text.
    comments: HashMap<String, String>,
    comments_done: HashSet<String>,
    /// Header and footer parts already placed (a part shared by sections appears once).
    parts_done: HashSet<String>,
}

impl Assembly {
    fn push(&mut self, kind: BlockKind, text: String) {
        self.blocks.push(Block::new(kind, 1, text));
    }

    /// Body blocks, each followed by the comments anchored in it.
    fn body(&mut self, raw: &[RawBlock]) {
        for b in raw {
            if !b.text.is_empty() {
                self.push(b.kind.clone(), b.text.clone());
            }
            for id in &b.comments {
                if self.comments_done.insert(id.clone()) {
                    if let Some(text) = self.comments.get(id) {
                        let text = text.clone();
                        self.push(BlockKind::Comment, text);
                    }
                }
            }
        }
    }

    /// The headers (or footers) a section references, each part once. Returns whether any
    /// holds tracked changes.
    fn running(
        &mut self,
        refs: &SectionRefs,
        headers: bool,
        by_id: &HashMap<&str, &Rel>,
        r: &mut Reader<'_>,
        ctx: &Ctx<'_>,
    ) -> Result<bool> {
        let list = if headers {
            &refs.headers
        } else {
            &refs.footers
        };
        let mut revisions = false;
        // First-page and even-page variants come before the default, as they print first.
        let mut ordered: Vec<&(String, String)> = list.iter().collect();
        ordered.sort_by_key(|(kind, _)| match kind.as_str() {
            "first" => 0,
            "even" => 1,
            _ => 2,
        });
        for (_, id) in ordered {
            let Some(rel) = by_id.get(id.as_str()) else {
                continue;
            };
            if rel.external || !self.parts_done.insert(rel.target.clone()) {
                continue;
            }
            if let Some(out) = r.walk(&rel.target, ctx)? {
                revisions |= out.has_revisions;
                let text = story_text(&out);
                if !text.is_empty() {
                    let kind = if headers {
                        BlockKind::Header
                    } else {
                        BlockKind::Footer
                    };
                    self.push(kind, text);
                }
            }
        }
        Ok(revisions)
    }
}

/// Give every block the path of headings above it (a heading gets its parents' path).
pub(crate) fn assign_sections(blocks: &mut [Block]) {
    let mut path: Vec<(u8, String)> = Vec::new();
    for b in blocks.iter_mut() {
        match b.kind {
            BlockKind::Heading { level } => {
                while path.last().is_some_and(|(l, _)| *l >= level) {
                    path.pop();
                }
                b.section = path.iter().map(|(_, t)| t.clone()).collect();
                let title = b.flat_text();
                if !title.is_empty() {
                    path.push((level, title));
                }
            }
            BlockKind::Header | BlockKind::Footer | BlockKind::Footnote | BlockKind::Endnote => {}
            _ => b.section = path.iter().map(|(_, t)| t.clone()).collect(),
        }
    }
}
