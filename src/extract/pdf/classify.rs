//! What each paragraph is: running header or footer, heading (by size relative to the body
//! text), list item or body paragraph; and the heading path each block sits under.
//!
//! Running headers and footers are lines that come back near the top or bottom of pages across
//! the document (digits ignored, so "Page 3 of 9" matches "Page 4 of 9"). They are labelled,
//! not dropped: the text stays where it printed.

use std::collections::HashMap;

use super::layout::{Line, Para};
use crate::document::{is_bullet, list_marker, Block, BlockKind};

/// A paragraph with the page it is on and the page's box.
pub struct PagePara {
    pub page: u32,
    pub page_box: [f32; 4],
    pub para: Para,
}

/// The share of the page height, from the top and from the bottom, where running heads live.
const MARGIN_ZONE: f32 = 0.12;

fn key(text: &str) -> String {
    let mut out = String::new();
    for w in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in w.chars() {
            out.push(if c.is_ascii_digit() {
                '#'
            } else {
                c.to_lowercase().next().unwrap_or(c)
            });
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Zone {
    Top,
    Bottom,
}

fn zone(p: &PagePara) -> Option<Zone> {
    if p.para.cell.is_some() {
        return None;
    }
    let bbox = p.para.bbox();
    let height = (p.page_box[3] - p.page_box[1]).max(1.0);
    if p.para.lines.len() > 3 {
        return None;
    }
    if bbox[1] >= p.page_box[3] - MARGIN_ZONE * height {
        Some(Zone::Top)
    } else if bbox[3] <= p.page_box[1] + MARGIN_ZONE * height {
        Some(Zone::Bottom)
    } else {
        None
    }
}

fn starts_list_item(text: &str) -> bool {
    list_marker(text.trim_start()).is_some()
}

/// A table cell's place in the document.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Cell {
    At {
        table: u32,
        row: u32,
        col: u32,
    },
    /// A header row repeated where the table goes on over a page break.
    Repeated,
}

/// Flattened text, for comparing cells.
fn flat(p: &Para) -> String {
    p.lines
        .iter()
        .flat_map(|l| l.text.split_whitespace())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Number the tables of the document and their rows. A table that starts a page right after
/// a table that ended the page before, with as many columns, goes on: its rows follow, a first
/// row that repeats the header row is labelled as a repeat, and a first row that has no text
/// in the first column while the row before has (or whose text all starts in lower case) is
/// the rest of the row the page break cut.
fn table_cells(paras: &[PagePara], running: impl Fn(&PagePara) -> bool) -> Vec<Option<Cell>> {
    struct Open {
        id: u32,
        page: u32,
        cols: u32,
        /// Row 0's texts by column.
        header: Vec<(u32, String)>,
        /// The last row given out, and whether its first column had text.
        last_row: u32,
        last_first_col: bool,
    }
    let mut out: Vec<Option<Cell>> = vec![None; paras.len()];
    let mut next_id = 0u32;
    let mut open: Option<Open> = None;
    let mut prev_body_was_cell = false;
    let mut i = 0;
    while i < paras.len() {
        let p = &paras[i];
        let Some(pos) = p.para.cell else {
            if !running(p) {
                prev_body_was_cell = false;
            }
            i += 1;
            continue;
        };
        // The group: this page's cells of this table.
        let mut j = i;
        while j < paras.len()
            && paras[j].page == p.page
            && paras[j].para.cell.is_some_and(|c| c.table == pos.table)
        {
            j += 1;
        }
        let group = &paras[i..j];
        let rows_of = |r: u32| {
            group
                .iter()
                .filter(move |q| q.para.cell.is_some_and(|c| c.row == r))
        };
        let first_row = group
            .iter()
            .filter_map(|q| q.para.cell.map(|c| c.row))
            .min()
            .unwrap_or(0);
        let goes_on = prev_body_was_cell
            && open
                .as_ref()
                .is_some_and(|o| o.page + 1 == p.page && o.cols == pos.cols);
        let mut skip_row: Option<u32> = None;
        let (id, base) = match open.as_mut().filter(|_| goes_on) {
            Some(o) => {
                o.page = p.page;
                let mut start = first_row;
                let repeats = !o.header.is_empty()
                    && rows_of(first_row).count() == o.header.len()
                    && rows_of(first_row).all(|q| {
                        let c = q.para.cell.map_or(0, |c| c.col);
                        o.header
                            .iter()
                            .any(|(hc, ht)| *hc == c && *ht == flat(&q.para))
                    });
                if repeats {
                    skip_row = Some(first_row);
                    start = group
                        .iter()
                        .filter_map(|q| q.para.cell.map(|c| c.row))
                        .filter(|&r| r > first_row)
                        .min()
                        .unwrap_or(first_row + 1);
                }
                let no_first_col = !rows_of(start).any(|q| q.para.cell.is_some_and(|c| c.col == 0));
                let lower = rows_of(start).all(|q| flat(&q.para).starts_with(char::is_lowercase));
                let cut =
                    rows_of(start).count() > 0 && ((no_first_col && o.last_first_col) || lower);
                if cut {
                    // Row `start` is row `last_row`; the rows after it follow on.
                    (o.id, o.last_row as i64 - start as i64)
                } else {
                    (o.id, o.last_row as i64 + 1 - start as i64)
                }
            }
            None => {
                let id = next_id;
                next_id += 1;
                let header = rows_of(first_row)
                    .filter_map(|q| q.para.cell.map(|c| (c.col, flat(&q.para))))
                    .collect();
                open = Some(Open {
                    id,
                    page: p.page,
                    cols: pos.cols,
                    header,
                    last_row: 0,
                    last_first_col: false,
                });
                (id, -(first_row as i64))
            }
        };
        for (k, q) in group.iter().enumerate() {
            let Some(c) = q.para.cell else { continue };
            if skip_row == Some(c.row) {
                out[i + k] = Some(Cell::Repeated);
                continue;
            }
            let row = (c.row as i64 + base).max(0) as u32;
            out[i + k] = Some(Cell::At {
                table: id,
                row,
                col: c.col,
            });
            // Cells come row by row, column by column.
            if let Some(o) = open.as_mut() {
                if row > o.last_row {
                    o.last_row = row;
                    o.last_first_col = c.col == 0;
                } else if row == o.last_row && c.col == 0 {
                    o.last_first_col = true;
                }
            }
        }
        prev_body_was_cell = true;
        i = j;
    }
    out
}

/// Whether a paragraph is the rest of the body paragraph (or list item) before it, cut by a
/// page or column break: that one ends without closing punctuation, this one starts in lower
/// case, on a later page or higher up than the other ended (the top of the next column).
fn goes_on(out: &[Block], page: u32, bbox: &[f32; 4], text: &str) -> bool {
    let Some(prev) = out.iter().rev().find(|b| b.kind.is_body()) else {
        return false;
    };
    if !matches!(prev.kind, BlockKind::Paragraph | BlockKind::ListItem { .. }) {
        return false;
    }
    let open = prev
        .text
        .trim_end()
        .chars()
        .last()
        .is_some_and(|c| c.is_alphanumeric() || c == ',');
    let lower = text.trim_start().starts_with(char::is_lowercase);
    let moved = prev.page < page || prev.bbox.is_some_and(|b| bbox[3] > b[1] + 1.0);
    open && lower && moved && !starts_list_item(text)
}

/// Turn the paragraphs of all pages (each page's in reading order) into blocks.
pub fn blocks(paras: Vec<PagePara>, pages: u32) -> Vec<Block> {
    // Running heads: how many pages show each key in each zone.
    let mut seen: HashMap<(Zone, String), Vec<u32>> = HashMap::new();
    for p in &paras {
        if let Some(z) = zone(p) {
            let pages_of = seen.entry((z, key(&p.para.text()))).or_default();
            if pages_of.last() != Some(&p.page) {
                pages_of.push(p.page);
            }
        }
    }
    let needed = if pages <= 2 {
        2
    } else {
        ((pages as f32 * 0.4).ceil() as usize).clamp(2, 6)
    };
    let running = |p: &PagePara| -> Option<Zone> {
        let z = zone(p)?;
        let n = seen.get(&(z, key(&p.para.text()))).map_or(0, Vec::len);
        (n >= needed).then_some(z)
    };

    // The body size: the most common size by characters.
    let mut by_size: HashMap<i32, usize> = HashMap::new();
    for p in &paras {
        for l in &p.para.lines {
            *by_size.entry((l.size * 2.0).round() as i32).or_default() += l.chars;
        }
    }
    let body = by_size
        .iter()
        .max_by_key(|(s, n)| (**n, -**s))
        .map(|(s, _)| *s as f32 / 2.0)
        .unwrap_or(10.0);
    // Headings: short paragraphs set larger than the body text, or in bold at body size,
    // that do not read as a sentence or a lead-in.
    let is_heading = |p: &Para| {
        if p.cell.is_some() {
            return false;
        }
        let chars: usize = p.lines.iter().map(|l| l.chars).sum();
        if p.lines.len() > 3 || !(2..=200).contains(&chars) {
            return false;
        }
        let text = flat(p);
        let last = text.chars().last().unwrap_or(' ');
        let has_letter = text.chars().any(char::is_alphabetic);
        let larger = p.lines.len() <= 3 && chars <= 200 && p.size() >= body * 1.15;
        let bold = p.lines.len() <= 2
            && chars <= 150
            && p.lines.iter().all(Line::is_bold)
            && p.size() >= body * 0.95
            && !matches!(last, '.' | ':' | ';' | ',')
            && !text.starts_with(|c: char| is_bullet(c) || c.is_lowercase());
        chars >= 2 && has_letter && !text.ends_with(':') && (larger || bold)
    };
    // A heading's rank: larger first, bold before plain at one size.
    let style = |p: &Para| {
        (
            (p.size() * 2.0).round() as i32,
            p.lines.iter().all(Line::is_bold),
        )
    };
    let mut heading_sizes: Vec<(i32, bool)> = paras
        .iter()
        .filter(|p| running(p).is_none() && is_heading(&p.para))
        .map(|p| style(&p.para))
        .collect();
    heading_sizes.sort_unstable_by(|a, b| b.cmp(a));
    heading_sizes.dedup();

    let cells = table_cells(&paras, |p| running(p).is_some());
    let mut out = Vec::with_capacity(paras.len());
    let mut path: Vec<(u8, String)> = Vec::new();
    for (p, cell) in paras.into_iter().zip(cells) {
        let text = p.para.text();
        let kind = match running(&p) {
            _ if cell.is_some() => match cell {
                Some(Cell::Repeated) | None => BlockKind::Header,
                Some(Cell::At { table, row, col }) => BlockKind::TableCell { table, row, col },
            },
            Some(Zone::Top) => BlockKind::Header,
            Some(Zone::Bottom) => BlockKind::Footer,
            None if is_heading(&p.para) => {
                let s = style(&p.para);
                let rank = heading_sizes.iter().position(|&h| h == s).unwrap_or(0);
                BlockKind::Heading {
                    level: (rank + 1).min(6) as u8,
                }
            }
            None if starts_list_item(&text) => BlockKind::ListItem { level: 0 },
            None => BlockKind::Paragraph,
        };
        let bbox = p.para.bbox();
        if kind == BlockKind::Paragraph && goes_on(&out, p.page, &bbox, &text) {
            if let Some(prev) = out.iter_mut().rev().find(|b| b.kind.is_body()) {
                prev.text.push('\n');
                prev.text.push_str(&text);
                continue;
            }
        }
        let mut block = Block::new(kind.clone(), p.page, text);
        block.bbox = Some(bbox);
        match kind {
            BlockKind::Heading { level } => {
                while path.last().is_some_and(|(l, _)| *l >= level) {
                    path.pop();
                }
                block.section = path.iter().map(|(_, t)| t.clone()).collect();
                path.push((level, block.flat_text()));
            }
            BlockKind::Header | BlockKind::Footer => {}
            _ => block.section = path.iter().map(|(_, t)| t.clone()).collect(),
        }
        out.push(block);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_item_markers() {
        assert!(starts_list_item("• apples"));
        assert!(starts_list_item("1. First"));
        assert!(starts_list_item("(iv) fourth"));
        assert!(starts_list_item("b) second"));
        assert!(!starts_list_item("In 2020. we"));
        assert!(!starts_list_item("Hello there"));
        assert!(!starts_list_item("“ quoted"));
        assert!(!starts_list_item("n° 5"));
    }

    #[test]
    fn keys_ignore_digits_and_case() {
        assert_eq!(key("Page 3 of  9"), key("page 4 of 9"));
    }
}
