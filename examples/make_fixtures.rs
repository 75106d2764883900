//! Builds the demo tender batch: every source in `fixtures/demo-src/<supplier>/<file>.md`
//! becomes `fixtures/demo/<supplier>/<file>.docx`, written with docx-rs.
//!
//! The sources use a small markdown subset (described in `fixtures/README.md`): front lines
//! (`header:`, `footer:`, `format:`, `font:`, `size:`, `accent:`, `date:`, `bullets:`) up to the
//! first blank line, then `#`/`##`/`###` headings, paragraphs, `- ` bullets and `1. ` numbered items (two
//! spaces of indent per nesting level), pipe tables whose second line is a `|---|` rule, `---`
//! on its own line for a page break, and `**bold**` / `*italic*` inline.
//!
//! `fixtures/make.sh` runs this and then turns the files whose front says `format: pdf` into PDF
//! with LibreOffice, so the PDFs carry the fonts and structure real suppliers send.
//!
//! Run: `cargo run --example make_fixtures [SRC_DIR] [OUT_DIR]`
//! (defaults `fixtures/demo-src` and `fixtures/demo`). It prints one line per file written.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use docx_rs::{
    AbstractNumbering, AlignmentType, Docx, Footer, Header, IndentLevel, Level, LevelJc, LevelText,
    LineSpacing, NumPages, NumberFormat, Numbering, NumberingId, PageMargin, PageNum, Paragraph,
    Run, RunFonts, Shading, ShdType, SpecialIndentType, Start, Style, StyleType, Table, TableCell,
    TableRow, WidthType,
};

/// Text width of an A4 page with the margins below, in twentieths of a point.
const TEXT_WIDTH: usize = 11906 - 2 * 1304;
/// Deepest list nesting the sources may use.
const MAX_LIST_LEVEL: usize = 2;
/// Numbering id of the one bullet list definition (docx-rs already defines id 1).
const BULLET_LIST: usize = 10;

/// How list bullets are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bullets {
    Unicode,
    Word,
}

/// Whether a source ends up as a DOCX or (after LibreOffice) as a PDF.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Docx,
    Pdf,
}

/// The front lines of a source: running header and footer, target format and house style.
#[derive(Debug)]
struct Front {
    header: Option<String>,
    footer: Option<String>,
    target: Target,
    font: String,
    /// Body text size in half-points.
    size: usize,
    /// Heading colour, hex RGB.
    accent: String,
    /// ISO 8601 date written into the document properties.
    date: String,
    bullets: Bullets,
}

/// One span of inline text with its emphasis.
#[derive(Debug, Clone, PartialEq)]
struct Span {
    text: String,
    bold: bool,
    italic: bool,
}

/// One block of a source body.
#[derive(Debug, Clone, PartialEq)]
enum Block {
    Heading(usize, String),
    Paragraph(String),
    /// A list item: numbered or not, nesting level, the id of its numbered list (0 for bullets).
    Item {
        numbered: bool,
        level: usize,
        list: usize,
        text: String,
    },
    /// Rows of cells; the first row is a header row when `header` is set.
    Table {
        rows: Vec<Vec<String>>,
        header: bool,
    },
    PageBreak,
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let src_dir = PathBuf::from(args.next().unwrap_or_else(|| "fixtures/demo-src".into()));
    let out_dir = PathBuf::from(args.next().unwrap_or_else(|| "fixtures/demo".into()));
    let sources = list_sources(&src_dir)?;
    if sources.is_empty() {
        bail!("no sources under {}", src_dir.display());
    }
    for (supplier, path) in sources {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let (front, blocks) =
            parse(&text).with_context(|| format!("parsing {}", path.display()))?;
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .context("source file name is not UTF-8")?;
        let dir = out_dir.join(&supplier);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let out = dir.join(format!("{stem}.docx"));
        let bytes = build_docx(&front, &blocks)?;
        std::fs::write(&out, bytes).with_context(|| format!("writing {}", out.display()))?;
        let target = match front.target {
            Target::Docx => "docx",
            Target::Pdf => "pdf",
        };
        println!("{target} {}", out.display());
    }
    Ok(())
}

/// `(supplier, path)` of every `*.md` one level below `dir`, sorted.
fn list_sources(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    for supplier in read_dir_sorted(dir)? {
        if !supplier.is_dir() {
            continue;
        }
        let name = supplier
            .file_name()
            .and_then(|s| s.to_str())
            .context("supplier folder name is not UTF-8")?
            .to_string();
        for file in read_dir_sorted(&supplier)? {
            if file.extension().and_then(|e| e.to_str()) == Some("md") {
                out.push((name.clone(), file));
            }
        }
    }
    Ok(out)
}

fn read_dir_sorted(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut paths = std::fs::read_dir(dir)
        .with_context(|| format!("listing {}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<Vec<_>>>()
        .with_context(|| format!("listing {}", dir.display()))?;
    paths.sort();
    Ok(paths)
}

/// Split a source into its front lines and body blocks.
fn parse(text: &str) -> Result<(Front, Vec<Block>)> {
    let mut front = Front {
        header: None,
        footer: None,
        target: Target::Docx,
        font: "Liberation Sans".into(),
        size: 22,
        accent: "1F3864".into(),
        date: "2026-11-02T09:00:00Z".into(),
        bullets: Bullets::Unicode,
    };
    let mut lines = text.lines().enumerate();
    for (n, line) in lines.by_ref() {
        if line.trim().is_empty() {
            break;
        }
        let (key, value) = line
            .split_once(':')
            .with_context(|| format!("line {}: front line without `key:`", n + 1))?;
        let value = value.trim().to_string();
        match key.trim() {
            "header" => front.header = Some(value),
            "footer" => front.footer = Some(value),
            "format" => {
                front.target = match value.as_str() {
                    "pdf" => Target::Pdf,
                    "docx" => Target::Docx,
                    other => bail!("line {}: unknown format {other:?}", n + 1),
                }
            }
            "font" => front.font = value,
            "size" => {
                let pt: f32 = value
                    .parse()
                    .with_context(|| format!("line {}: size {value:?}", n + 1))?;
                front.size = (pt * 2.0).round() as usize;
            }
            "accent" => front.accent = value,
            "date" => front.date = value,
            "bullets" => {
                front.bullets = match value.as_str() {
                    "unicode" => Bullets::Unicode,
                    "word" => Bullets::Word,
                    other => bail!("line {}: unknown bullets {other:?}", n + 1),
                }
            }
            other => bail!("line {}: unknown front key {other:?}", n + 1),
        }
    }

    let mut blocks: Vec<Block> = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut table_header = false;
    let mut lists = 0usize;
    let mut current_list: Option<usize> = None;
    // Whether the previous line belongs to a list item (for continuation lines).
    let mut in_item = false;

    let flush_para = |para: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !para.is_empty() {
            blocks.push(Block::Paragraph(para.join(" ")));
            para.clear();
        }
    };
    let flush_table = |table: &mut Vec<Vec<String>>, header: &mut bool, blocks: &mut Vec<Block>| {
        if !table.is_empty() {
            blocks.push(Block::Table {
                rows: std::mem::take(table),
                header: *header,
            });
            *header = false;
        }
    };

    for (n, line) in lines {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with('|') {
            flush_para(&mut para, &mut blocks);
            in_item = false;
            let cells = split_row(trimmed);
            if cells
                .iter()
                .all(|c| !c.is_empty() && c.chars().all(|ch| "-: ".contains(ch)))
            {
                if table.len() != 1 {
                    bail!("line {}: table rule not after the first row", n + 1);
                }
                table_header = true;
            } else {
                if let Some(first) = table.first() {
                    if first.len() != cells.len() {
                        bail!(
                            "line {}: row has {} cells, table has {}",
                            n + 1,
                            cells.len(),
                            first.len()
                        );
                    }
                }
                table.push(cells);
            }
            continue;
        }
        flush_table(&mut table, &mut table_header, &mut blocks);
        if trimmed.is_empty() {
            flush_para(&mut para, &mut blocks);
            in_item = false;
            continue;
        }
        if let Some((level, rest)) = heading(trimmed) {
            flush_para(&mut para, &mut blocks);
            blocks.push(Block::Heading(level, rest.to_string()));
            in_item = false;
            continue;
        }
        if trimmed == "---" {
            flush_para(&mut para, &mut blocks);
            blocks.push(Block::PageBreak);
            in_item = false;
            continue;
        }
        if let Some((numbered, rest)) = list_marker(trimmed) {
            flush_para(&mut para, &mut blocks);
            if indent % 2 != 0 || indent / 2 > MAX_LIST_LEVEL {
                bail!("line {}: list indent must be 0, 2 or 4 spaces", n + 1);
            }
            let level = indent / 2;
            let list = if numbered {
                match (current_list, blocks.last()) {
                    (Some(id), Some(Block::Item { .. })) => id,
                    _ => {
                        lists += 1;
                        current_list = Some(lists);
                        lists
                    }
                }
            } else {
                0
            };
            blocks.push(Block::Item {
                numbered,
                level,
                list,
                text: rest.to_string(),
            });
            in_item = true;
            continue;
        }
        if in_item {
            if let Some(Block::Item { text, .. }) = blocks.last_mut() {
                text.push(' ');
                text.push_str(trimmed);
                continue;
            }
        }
        para.push(trimmed);
    }
    flush_table(&mut table, &mut table_header, &mut blocks);
    flush_para(&mut para, &mut blocks);
    Ok((front, blocks))
}

fn heading(line: &str) -> Option<(usize, &str)> {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    let rest = line.get(hashes..)?.strip_prefix(' ')?;
    (1..=3).contains(&hashes).then_some((hashes, rest.trim()))
}

/// `Some((numbered, text))` when the line starts with `- ` or `N. `.
fn list_marker(line: &str) -> Option<(bool, &str)> {
    if let Some(rest) = line.strip_prefix("- ") {
        return Some((false, rest.trim()));
    }
    let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
    if (1..=2).contains(&digits) {
        if let Some(rest) = line.get(digits..).and_then(|r| r.strip_prefix(". ")) {
            return Some((true, rest.trim()));
        }
    }
    None
}

fn split_row(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

/// Split `**bold**` and `*italic*` markup into spans.
fn spans(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut bold = false;
    let mut italic = false;
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '*' {
            if !cur.is_empty() {
                out.push(Span {
                    text: std::mem::take(&mut cur),
                    bold,
                    italic,
                });
            }
            if chars.peek() == Some(&'*') {
                chars.next();
                bold = !bold;
            } else {
                italic = !italic;
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(Span {
            text: cur,
            bold,
            italic,
        });
    }
    out
}

fn runs(mut p: Paragraph, text: &str) -> Paragraph {
    for span in spans(text) {
        let mut run = Run::new().add_text(span.text);
        if span.bold {
            run = run.bold();
        }
        if span.italic {
            run = run.italic();
        }
        p = p.add_run(run);
    }
    p
}

/// A running header or footer line: text with `{PAGE}` and `{PAGES}` as page-number fields.
fn running_line(text: &str, style: &str) -> Paragraph {
    let mut p = Paragraph::new().style(style);
    let mut rest = text;
    while !rest.is_empty() {
        let next = [("{PAGE}", 0), ("{PAGES}", 1)]
            .iter()
            .filter_map(|(tag, kind)| rest.find(tag).map(|at| (at, *tag, *kind)))
            .min();
        match next {
            Some((at, tag, kind)) => {
                if at > 0 {
                    p = p.add_run(Run::new().add_text(&rest[..at]));
                }
                p = if kind == 0 {
                    p.add_page_num(PageNum::new())
                } else {
                    p.add_num_pages(NumPages::new())
                };
                rest = &rest[at + tag.len()..];
            }
            None => {
                p = p.add_run(Run::new().add_text(rest));
                rest = "";
            }
        }
    }
    p
}

fn styles(front: &Front) -> Vec<Style> {
    let fonts = || {
        RunFonts::new()
            .ascii(&front.font)
            .hi_ansi(&front.font)
            .cs(&front.font)
    };
    let heading = |id: &str, name: &str, level: usize, size: usize, before: u32| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .fonts(fonts())
            .bold()
            .size(size)
            .color(&front.accent)
            .outline_lvl(level)
            .line_spacing(LineSpacing::new().before(before).after(120))
    };
    vec![
        Style::new("Normal", StyleType::Paragraph)
            .name("Normal")
            .fonts(fonts())
            .size(front.size)
            .line_spacing(LineSpacing::new().after(140).line(264)),
        heading("Heading1", "heading 1", 0, front.size + 10, 360),
        heading("Heading2", "heading 2", 1, front.size + 4, 240),
        heading("Heading3", "heading 3", 2, front.size + 2, 200),
        Style::new("ListParagraph", StyleType::Paragraph)
            .name("List Paragraph")
            .based_on("Normal")
            .line_spacing(LineSpacing::new().after(60)),
        Style::new("Header", StyleType::Paragraph)
            .name("header")
            .based_on("Normal")
            .size(front.size.saturating_sub(5).max(14))
            .color("595959")
            .line_spacing(LineSpacing::new().after(0)),
        Style::new("Footer", StyleType::Paragraph)
            .name("footer")
            .based_on("Header"),
        Style::new("TableText", StyleType::Paragraph)
            .name("Table Text")
            .based_on("Normal")
            .size(front.size.saturating_sub(2).max(16))
            .line_spacing(LineSpacing::new().after(40).line(240)),
    ]
}

/// The bullet list definition. `Word` bullets are Word's defaults: the private-use glyph
/// U+F0B7 of the Symbol font, then `o` in Courier New, then U+F0A7 of Wingdings; `Unicode`
/// bullets are ordinary characters in the body font.
fn bullet_numbering(style: Bullets) -> AbstractNumbering {
    let levels: [(&str, Option<&str>); 3] = match style {
        Bullets::Unicode => [("\u{2022}", None), ("\u{2013}", None), ("\u{25AA}", None)],
        Bullets::Word => [
            ("\u{F0B7}", Some("Symbol")),
            ("o", Some("Courier New")),
            ("\u{F0A7}", Some("Wingdings")),
        ],
    };
    let mut a = AbstractNumbering::new(BULLET_LIST);
    for (level, (glyph, font)) in levels.iter().enumerate() {
        let left = 360 + 360 * level as i32;
        let mut lvl = Level::new(
            level,
            Start::new(1),
            NumberFormat::new("bullet"),
            LevelText::new(*glyph),
            LevelJc::new("left"),
        )
        .indent(
            Some(left),
            Some(SpecialIndentType::Hanging(360)),
            None,
            None,
        );
        if let Some(font) = font {
            lvl = lvl.fonts(RunFonts::new().ascii(*font).hi_ansi(*font).hint("default"));
        }
        a = a.add_level(lvl);
    }
    a
}

fn ordered_numbering(id: usize) -> AbstractNumbering {
    let mut a = AbstractNumbering::new(id);
    for (level, (fmt, text)) in [
        ("decimal", "%1."),
        ("lowerLetter", "%2)"),
        ("lowerRoman", "%3."),
    ]
    .iter()
    .enumerate()
    {
        let left = 360 + 360 * level as i32;
        a = a.add_level(
            Level::new(
                level,
                Start::new(1),
                NumberFormat::new(*fmt),
                LevelText::new(*text),
                LevelJc::new("left"),
            )
            .indent(
                Some(left),
                Some(SpecialIndentType::Hanging(360)),
                None,
                None,
            ),
        );
    }
    a
}

fn table(rows: &[Vec<String>], header: bool, front: &Front) -> Table {
    let widths = column_widths(rows, front.size);
    let out_rows = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let is_head = header && i == 0;
            let cells = row
                .iter()
                .zip(&widths)
                .map(|(text, &width)| {
                    let mut p = Paragraph::new().style("TableText");
                    p = if is_head {
                        p.add_run(
                            Run::new()
                                .add_text(text.replace('*', ""))
                                .bold()
                                .color("FFFFFF"),
                        )
                    } else {
                        runs(p, text)
                    };
                    let mut cell = TableCell::new()
                        .add_paragraph(p)
                        .width(width, WidthType::Dxa);
                    if is_head {
                        cell = cell
                            .shading(Shading::new().shd_type(ShdType::Clear).fill(&front.accent));
                    }
                    cell
                })
                .collect();
            TableRow::new(cells)
        })
        .collect();
    Table::new(out_rows)
        .set_grid(widths)
        .width(TEXT_WIDTH, WidthType::Dxa)
}

/// Column widths in proportion to the longest text in each column (within bounds), summing
/// to the text width: a narrow "Ref" column, a wide "Commitment" one. No column is narrower
/// than its longest word (and the header's bold), so that no word is broken across lines.
fn column_widths(rows: &[Vec<String>], size: usize) -> Vec<usize> {
    let cols = rows.first().map_or(1, |r| r.len()).max(1);
    let cells = |c: usize| rows.iter().filter_map(move |r| r.get(c));
    let weights: Vec<usize> = (0..cols)
        .map(|c| {
            cells(c)
                .map(|t| t.chars().count())
                .max()
                .unwrap_or(0)
                .clamp(6, 40)
        })
        .collect();
    // Table text is set 1pt smaller than the body. A generous average glyph width (0.75 em of
    // a bold face) in twips, plus the cell's left and right padding.
    let glyph = (size.saturating_sub(2) * 10 * 75).div_ceil(100);
    let floor: Vec<usize> = (0..cols)
        .map(|c| {
            let longest = cells(c)
                .flat_map(|t| t.split_whitespace())
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(1);
            longest * glyph + 300
        })
        .collect();
    let total: usize = weights.iter().sum::<usize>().max(1);
    let mut widths: Vec<usize> = weights.iter().map(|w| TEXT_WIDTH * w / total).collect();
    // Widen the columns below their floor, taking the room from the columns above theirs.
    for _ in 0..cols {
        let short: usize = widths
            .iter()
            .zip(&floor)
            .map(|(w, f)| f.saturating_sub(*w))
            .sum();
        if short == 0 {
            break;
        }
        let spare: usize = widths
            .iter()
            .zip(&floor)
            .map(|(w, f)| w.saturating_sub(*f))
            .sum();
        if spare == 0 {
            break;
        }
        let take = short.min(spare);
        widths = widths
            .iter()
            .zip(&floor)
            .map(|(&w, &f)| {
                if w < f {
                    f.min(w + take)
                } else {
                    w - (w - f) * take / spare
                }
            })
            .collect();
    }
    widths
}

fn build_docx(front: &Front, blocks: &[Block]) -> Result<Vec<u8>> {
    let mut docx = Docx::new()
        .default_fonts(
            RunFonts::new()
                .ascii(&front.font)
                .hi_ansi(&front.font)
                .cs(&front.font),
        )
        .default_size(front.size)
        .page_margin(PageMargin {
            top: 1304,
            left: 1304,
            bottom: 1304,
            right: 1304,
            header: 624,
            footer: 624,
            gutter: 0,
        })
        .created_at(&front.date)
        .updated_at(&front.date)
        .add_abstract_numbering(bullet_numbering(front.bullets))
        .add_numbering(Numbering::new(BULLET_LIST, BULLET_LIST));
    for style in styles(front) {
        docx = docx.add_style(style);
    }
    if let Some(h) = &front.header {
        docx = docx.header(
            Header::new().add_paragraph(running_line(h, "Header").align(AlignmentType::Right)),
        );
    }
    if let Some(f) = &front.footer {
        docx = docx.footer(Footer::new().add_paragraph(running_line(f, "Footer")));
    }
    let mut lists_added = 0usize;
    let mut break_next = false;
    for block in blocks {
        match block {
            Block::Heading(level, text) => {
                let p = runs(
                    Paragraph::new()
                        .style(&format!("Heading{level}"))
                        .keep_next(true)
                        .page_break_before(break_next),
                    text,
                );
                break_next = false;
                docx = docx.add_paragraph(p);
            }
            Block::Paragraph(text) => {
                let p = runs(Paragraph::new().page_break_before(break_next), text);
                break_next = false;
                docx = docx.add_paragraph(p);
            }
            Block::Item {
                numbered,
                level,
                list,
                text,
            } => {
                let num = if *numbered {
                    // Each numbered list gets its own definition so that it starts again at 1.
                    let id = BULLET_LIST + list;
                    if *list > lists_added {
                        docx = docx
                            .add_abstract_numbering(ordered_numbering(id))
                            .add_numbering(Numbering::new(id, id));
                        lists_added = *list;
                    }
                    id
                } else {
                    BULLET_LIST
                };
                let p = runs(
                    Paragraph::new()
                        .style("ListParagraph")
                        .numbering(NumberingId::new(num), IndentLevel::new(*level))
                        .page_break_before(break_next),
                    text,
                );
                break_next = false;
                docx = docx.add_paragraph(p);
            }
            Block::Table { rows, header } => {
                if break_next {
                    docx = docx.add_paragraph(Paragraph::new().page_break_before(true));
                    break_next = false;
                }
                docx = docx.add_table(table(rows, *header, front));
                // Word needs a paragraph between two tables and after a table that ends a cell;
                // a small empty one also keeps the table off the next heading.
                docx = docx.add_paragraph(
                    Paragraph::new()
                        .size(8)
                        .line_spacing(LineSpacing::new().after(0)),
                );
            }
            Block::PageBreak => break_next = true,
        }
    }
    let mut stored = Cursor::new(Vec::new());
    docx.build().pack(&mut stored).context("packing the DOCX")?;
    recompress(stored.get_ref())
}

/// docx-rs stores its parts uncompressed; Word deflates them. Rewrite the package with deflate
/// and a fixed timestamp, so the files look like what suppliers send and are reproducible.
fn recompress(stored: &[u8]) -> Result<Vec<u8>> {
    let mut input = zip::ZipArchive::new(Cursor::new(stored)).context("reading the packed DOCX")?;
    let mut output = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let time = zip::DateTime::from_date_and_time(2026, 11, 2, 9, 0, 0)
        .map_err(|e| anyhow::anyhow!("timestamp: {e}"))?;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(time);
    for i in 0..input.len() {
        let mut entry = input.by_index(i).context("reading a DOCX part")?;
        let name = entry.name().context("a DOCX part name")?.to_string();
        if entry.is_dir() {
            continue;
        }
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .with_context(|| format!("reading part {name}"))?;
        output
            .start_file(name.as_str(), options)
            .with_context(|| format!("writing part {name}"))?;
        output.write_all(&bytes)?;
    }
    Ok(output.finish().context("finishing the DOCX")?.into_inner())
}
