//! What each paragraph is: running header or footer, heading (by size relative to the body
//! text), list item or body paragraph; and the heading path each block sits under.
//!
//! Running headers and footers are lines that come back near the top or bottom of pages across
//! the document (digits ignored, so "Page 3 of 9" matches "Page 4 of 9"). They are labelled,
//! not dropped: the text stays where it printed.

use std::collections::HashMap;

use super::layout::Para;
use crate::document::{Block, BlockKind};

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
    let t = text.trim_start();
    if matches!(
        t.chars().next(),
        Some('•' | '◦' | '▪' | '■' | '●' | '○' | '◆' | '►' | '▶' | '➢' | '✓' | '❖')
    ) {
        return true;
    }
    // "1." "12)" "a)" "(iv)" followed by a space.
    let first = t.split_whitespace().next().unwrap_or("");
    if first.len() > 5 || t.len() <= first.len() {
        return false;
    }
    let core = first.trim_start_matches('(');
    let Some(body) = core.strip_suffix('.').or_else(|| core.strip_suffix(')')) else {
        return false;
    };
    !body.is_empty()
        && (body.chars().all(|c| c.is_ascii_digit())
            || (body.len() == 1 && body.chars().all(|c| c.is_ascii_lowercase()))
            || body.chars().all(|c| matches!(c, 'i' | 'v' | 'x')))
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
    let is_heading = |p: &Para| {
        let chars: usize = p.lines.iter().map(|l| l.chars).sum();
        p.lines.len() <= 3 && chars <= 200 && p.size() >= body * 1.15 && chars >= 2
    };
    let mut heading_sizes: Vec<i32> = paras
        .iter()
        .filter(|p| running(p).is_none() && is_heading(&p.para))
        .map(|p| (p.para.size() * 2.0).round() as i32)
        .collect();
    heading_sizes.sort_unstable_by(|a, b| b.cmp(a));
    heading_sizes.dedup();

    let mut out = Vec::with_capacity(paras.len());
    let mut path: Vec<(u8, String)> = Vec::new();
    for p in paras {
        let text = p.para.text();
        let kind = match running(&p) {
            Some(Zone::Top) => BlockKind::Header,
            Some(Zone::Bottom) => BlockKind::Footer,
            None if is_heading(&p.para) => {
                let s = (p.para.size() * 2.0).round() as i32;
                let rank = heading_sizes.iter().position(|&h| h == s).unwrap_or(0);
                BlockKind::Heading {
                    level: (rank + 1).min(6) as u8,
                }
            }
            None if starts_list_item(&text) => BlockKind::ListItem { level: 0 },
            None => BlockKind::Paragraph,
        };
        let mut block = Block::new(kind.clone(), p.page, text);
        block.bbox = Some(p.para.bbox());
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
