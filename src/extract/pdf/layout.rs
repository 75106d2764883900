//! Page layout: positioned glyphs → words → lines → paragraphs, in reading order.
//!
//! * Glyphs that follow each other in the content stream on one baseline form a run; a space
//!   goes wherever the file shows a space glyph or leaves a gap wider than a fraction of the
//!   font size between one glyph's advance and the next glyph.
//! * Runs on one baseline that nearly touch are joined into lines (text drawn in pieces);
//!   runs far apart on the same baseline stay apart (columns, table cells). A run drawn twice
//!   on top of itself (fake bold) is kept once.
//! * Lines stacked at line spacing, overlapping horizontally and of similar size form a
//!   paragraph; a line that starts with a bullet starts a new one.
//! * Paragraphs are put in reading order by recursive cuts along white space: columns are
//!   read one after the other, a full-width title or footer before or after them.

use unicode_normalization::UnicodeNormalization;

use super::aligned;
use super::content::{from_frame, Glyph, PageContent};
use super::table::{self, Table};
use crate::document::{is_bullet, is_list_number, list_marker, BBox};

/// A gap wider than this fraction of the font size between two glyphs is a word break.
const WORD_GAP: f32 = 0.1;
/// Runs on one baseline closer than this (× font size) are one line.
const LINE_JOIN_GAP: f32 = 1.0;
/// Within one content-stream run, a gap wider than this (× font size) splits the run.
const RUN_SPLIT_GAP: f32 = 3.0;
/// Two baselines closer than this (× font size) are the same line.
const BASELINE_TOLERANCE: f32 = 0.35;
/// Most ruled tables kept on one page.
const MAX_TABLES: usize = 200;
/// Most gap between a list marker and its text on one line (× font size).
const MARKER_GAP: f32 = 6.0;
/// Most distance between the baselines of two lines of one paragraph (× font size).
const MAX_LINE_SPACING: f32 = 1.5;

/// One line of text in its direction's frame.
#[derive(Clone, Debug)]
pub struct Line {
    pub dir: u8,
    pub y: f32,
    pub size: f32,
    pub x0: f32,
    pub x1: f32,
    pub text: String,
    /// Characters in the line (for weighting font sizes).
    pub chars: usize,
    /// Characters drawn in a bold font.
    pub bold: usize,
    /// Where the text starts after a list marker ("•", "1.") that begins the line; else `x0`.
    pub text_x0: f32,
    /// The table cell the line is in ([`NO_CELL`] outside tables): lines of different cells
    /// never join.
    pub cell: u32,
    /// Byte ranges of the glyphs' texts and inserted spaces, in visual order (for right-to-left
    /// reordering, which must keep each glyph's text whole).
    units: Vec<(u32, u32)>,
}

impl Line {
    fn push_unit(&mut self, text: &str) {
        let start = self.text.len() as u32;
        self.text.push_str(text);
        self.units.push((start, self.text.len() as u32));
    }

    fn push_space(&mut self) {
        if !self.text.ends_with(' ') {
            self.push_unit(" ");
        }
    }

    fn append(&mut self, other: &Line) {
        if is_marker(&self.text) {
            self.text_x0 = other.x0;
        }
        let base = self.text.len() as u32;
        self.text.push_str(&other.text);
        self.units
            .extend(other.units.iter().map(|(a, b)| (a + base, b + base)));
        self.chars += other.chars;
        self.bold += other.bold;
        self.x1 = self.x1.max(other.x1);
        self.size = self.size.max(other.size);
    }
}

fn is_rtl(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)
}

/// A line's text in logical order: right-to-left glyphs were placed in visual order (left to
/// right on the page), so their order is reversed, while left-to-right stretches inside them
/// (numbers, Latin words) keep theirs.
fn logical_order(line: &Line) -> String {
    if !line.text.chars().any(is_rtl) {
        return line.text.clone();
    }
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        /// Right-to-left letters.
        R,
        /// Left-to-right letters.
        L,
        /// Digits.
        D,
        /// White space.
        S,
        /// Other neutrals (punctuation).
        N,
    }
    let unit_text = |u: &(u32, u32)| line.text.get(u.0 as usize..u.1 as usize).unwrap_or("");
    let mut units: Vec<(&str, Class)> = line
        .units
        .iter()
        .map(|u| {
            let t = unit_text(u);
            let class = if t.chars().any(is_rtl) {
                Class::R
            } else if t.chars().any(char::is_alphabetic) {
                Class::L
            } else if t.chars().any(|c| c.is_ascii_digit()) {
                Class::D
            } else if t.chars().all(char::is_whitespace) {
                Class::S
            } else {
                Class::N
            };
            (t, class)
        })
        .collect();
    units.reverse();
    // Left-to-right stretches: Latin words (with the spaces and punctuation between them) and
    // numbers (with their separators, but not spaces) read in their own order.
    let mut i = 0;
    while i < units.len() {
        let kind = units[i].1;
        if kind != Class::L && kind != Class::D {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut last = i;
        while j < units.len() {
            let c = units[j].1;
            let inside = match kind {
                Class::L => c != Class::R && c != Class::D,
                _ => c == Class::D || c == Class::N,
            };
            if !inside {
                break;
            }
            if c == kind {
                last = j;
            }
            j += 1;
        }
        units[i..=last].reverse();
        i = last + 1;
    }
    units.iter().map(|(t, _)| *t).collect()
}

/// The line's cell when it is in no table.
pub const NO_CELL: u32 = u32::MAX;

impl Line {
    /// Most of the line is set in bold.
    pub fn is_bold(&self) -> bool {
        self.chars > 0 && self.bold * 10 >= self.chars * 9
    }

    fn top(&self) -> f32 {
        self.y + 0.8 * self.size
    }
    fn bottom(&self) -> f32 {
        self.y - 0.25 * self.size
    }
}

/// Where a table cell sits: its page-local table, and its row and column in that table's grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellPos {
    pub table: u32,
    pub row: u32,
    pub col: u32,
    /// The table's number of grid columns.
    pub cols: u32,
}

/// A paragraph: lines of one block of text, or all the text of one table cell.
#[derive(Clone, Debug)]
pub struct Para {
    pub dir: u8,
    pub lines: Vec<Line>,
    pub x0: f32,
    pub x1: f32,
    pub top: f32,
    pub bottom: f32,
    pub cell: Option<CellPos>,
}

impl Para {
    fn new(line: Line) -> Para {
        Para {
            dir: line.dir,
            x0: line.x0,
            x1: line.x1,
            top: line.top(),
            bottom: line.bottom(),
            lines: vec![line],
            cell: None,
        }
    }

    fn push(&mut self, line: Line) {
        self.x0 = self.x0.min(line.x0);
        self.x1 = self.x1.max(line.x1);
        self.top = self.top.max(line.top());
        self.bottom = self.bottom.min(line.bottom());
        self.lines.push(line);
    }

    /// The paragraph's text: its lines separated by `\n`.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for (i, l) in self.lines.iter().enumerate() {
            if i > 0 {
                s.push('\n');
            }
            s.push_str(&l.text);
        }
        s
    }

    /// The dominant font size (by characters).
    pub fn size(&self) -> f32 {
        let mut best = (0usize, 0.0f32);
        for l in &self.lines {
            let n = self
                .lines
                .iter()
                .filter(|m| (m.size - l.size).abs() < 0.5)
                .map(|m| m.chars)
                .sum::<usize>();
            if n > best.0 {
                best = (n, l.size);
            }
        }
        best.1
    }

    /// The bounding box in user space.
    pub fn bbox(&self) -> BBox {
        let corners = [
            from_frame(self.dir, self.x0, self.bottom),
            from_frame(self.dir, self.x1, self.top),
        ];
        [
            corners[0].0.min(corners[1].0),
            corners[0].1.min(corners[1].1),
            corners[0].0.max(corners[1].0),
            corners[0].1.max(corners[1].1),
        ]
    }
}

fn glyph_text<'a>(page: &'a PageContent, g: &Glyph) -> &'a str {
    page.text
        .get(g.start as usize..g.end as usize)
        .unwrap_or("")
}

/// The combining form of a spacing accent that fonts draw as a glyph of its own over a letter.
fn combining(text: &str) -> Option<char> {
    let mut chars = text.chars();
    let c = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    Some(match c {
        '\u{60}' | '\u{2CB}' => '\u{300}',
        '\u{B4}' | '\u{2CA}' => '\u{301}',
        '\u{2C6}' | '^' => '\u{302}',
        '\u{2DC}' | '~' => '\u{303}',
        '\u{AF}' | '\u{2C9}' => '\u{304}',
        '\u{2D8}' => '\u{306}',
        '\u{2D9}' => '\u{307}',
        '\u{A8}' => '\u{308}',
        '\u{2DA}' => '\u{30A}',
        '\u{2DD}' => '\u{30B}',
        '\u{2C7}' => '\u{30C}',
        '\u{B8}' => '\u{327}',
        '\u{2DB}' => '\u{328}',
        _ => return None,
    })
}

/// Whether an accent glyph sits over (or under) a letter glyph: its middle is within the
/// letter's advance, near the letter's baseline.
fn accent_over(accent: &Glyph, letter: &Glyph) -> bool {
    let mid = (accent.x0 + accent.x1) / 2.0;
    accent.dir == letter.dir
        && mid >= letter.x0
        && mid <= letter.x1
        && (accent.y - letter.y).abs() < letter.size.max(accent.size)
}

/// The whole text is a list marker: a bullet, or a list number ("1.", "b)").
fn is_marker(text: &str) -> bool {
    // Markers are a few bytes long ("(iv)", "12.", a bullet): most lines end here.
    if text.len() > 8 {
        return false;
    }
    let t = text.trim();
    let mut chars = t.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => is_bullet(c),
        _ => is_list_number(t),
    }
}

/// Glyphs in content order → runs. `cells` gives each glyph's table cell ([`NO_CELL`]
/// outside tables); `bold` says which fonts are bold.
fn runs(page: &PageContent, cells: &[u32], bold: &[bool]) -> Vec<Line> {
    let is_bold = |g: &Glyph| bold.get(g.font as usize).copied().unwrap_or(false);
    let mut out: Vec<Line> = Vec::new();
    let mut cur: Option<Line> = None;
    let mut last: Option<Glyph> = None;
    let mut pending_space = false;
    // An accent drawn before its letter: attached after the letter's text.
    let mut accent_for_next: Option<char> = None;
    for (i, g) in page.glyphs.iter().enumerate() {
        if !g.space {
            if let Some(mark) = combining(glyph_text(page, g)) {
                let on_prev = last.as_ref().is_some_and(|p| accent_over(g, p));
                if on_prev {
                    if let Some(line) = cur.as_mut() {
                        let mut buf = [0u8; 4];
                        line.push_unit(mark.encode_utf8(&mut buf));
                        continue;
                    }
                }
                let next = page.glyphs.get(i + 1);
                if next.is_some_and(|n| !n.space && accent_over(g, n)) {
                    accent_for_next = Some(mark);
                    continue;
                }
            }
        }
        let size = g.size.max(0.1);
        let continues = match (&cur, &last) {
            (Some(line), Some(prev)) => {
                let big = size.max(prev.size);
                let gap = g.x0 - prev.x1;
                // A smaller glyph raised or lowered right next to the text (a footnote mark,
                // an exponent, an index) stays in the run, as readers print it.
                let script = size.min(prev.size) < 0.85 * big && gap.abs() < 0.3 * big;
                let tolerance = if script { 0.6 } else { BASELINE_TOLERANCE };
                line.dir == g.dir
                    && line.cell == cells.get(i).copied().unwrap_or(NO_CELL)
                    && (g.y - prev.y).abs() <= tolerance * big
                    && gap > -0.6 * big
                    && gap < RUN_SPLIT_GAP * big
            }
            _ => false,
        };
        if g.space {
            if continues {
                pending_space = true;
                if let (Some(line), Some(prev)) = (cur.as_mut(), last.as_mut()) {
                    line.x1 = line.x1.max(g.x1);
                    prev.x1 = prev.x1.max(g.x1);
                }
            }
            continue;
        }
        let text = glyph_text(page, g);
        // The same glyph drawn again on top of the last one (fake bold): keep one.
        if let Some(prev) = &last {
            if prev.dir == g.dir
                && (g.x0 - prev.x0).abs() < 0.1 * size
                && (g.y - prev.y).abs() < 0.2 * size
                && text == glyph_text(page, prev)
            {
                continue;
            }
        }
        if continues {
            let (Some(line), Some(prev)) = (cur.as_mut(), last.as_ref()) else {
                continue;
            };
            let gap = g.x0 - prev.x1;
            if pending_space || gap > WORD_GAP * prev.size.max(0.1) {
                if is_marker(&line.text) {
                    line.text_x0 = g.x0;
                }
                line.push_space();
            }
            line.push_unit(text);
            if let Some(mark) = accent_for_next.take() {
                let mut buf = [0u8; 4];
                line.push_unit(mark.encode_utf8(&mut buf));
            }
            let n = text.chars().count();
            line.chars += n;
            if is_bold(g) {
                line.bold += n;
            }
            line.x1 = line.x1.max(g.x1);
            line.size = line.size.max(size);
        } else {
            if let Some(line) = cur.take() {
                out.push(line);
            }
            let n = text.chars().count();
            let mut line = Line {
                dir: g.dir,
                y: g.y,
                size,
                x0: g.x0,
                x1: g.x1,
                text: String::new(),
                chars: n,
                bold: if is_bold(g) { n } else { 0 },
                text_x0: g.x0,
                cell: cells.get(i).copied().unwrap_or(NO_CELL),
                units: Vec::new(),
            };
            line.push_unit(text);
            if let Some(mark) = accent_for_next.take() {
                let mut buf = [0u8; 4];
                line.push_unit(mark.encode_utf8(&mut buf));
            }
            cur = Some(line);
        }
        pending_space = false;
        last = Some(*g);
    }
    if let Some(line) = cur {
        out.push(line);
    }
    for l in &mut out {
        while l.text.ends_with(' ') {
            l.text.pop();
            l.units.pop();
        }
    }
    out.retain(|l| !l.text.trim().is_empty());
    out
}

/// Runs → lines: runs on one baseline that nearly touch are joined, duplicates dropped.
fn lines(mut runs: Vec<Line>) -> Vec<Line> {
    runs.sort_by(|a, b| {
        a.dir
            .cmp(&b.dir)
            .then(b.y.total_cmp(&a.y))
            .then(a.x0.total_cmp(&b.x0))
    });
    let mut out: Vec<Line> = Vec::with_capacity(runs.len());
    let mut i = 0;
    while i < runs.len() {
        // A group of runs sharing a baseline.
        let first_y = runs[i].y;
        let dir = runs[i].dir;
        let mut j = i + 1;
        while j < runs.len()
            && runs[j].dir == dir
            && (first_y - runs[j].y).abs()
                <= BASELINE_TOLERANCE * runs[j].size.min(runs[i].size).max(0.1)
        {
            j += 1;
        }
        let mut group: Vec<Line> = runs[i..j].to_vec();
        group.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let mut cur: Option<Line> = None;
        for r in group {
            match cur.as_mut() {
                Some(line) if line.cell == r.cell => {
                    let size = line.size.max(r.size).max(0.1);
                    let gap = r.x0 - line.x1;
                    let duplicate = (r.x0 - line.x0).abs() < 0.1 * size && r.text == line.text;
                    let overlaps_copy = gap < 0.0 && line.text.ends_with(&r.text);
                    if duplicate || overlaps_copy {
                        continue;
                    }
                    // A list marker and its text, set apart by a tab or a hanging indent.
                    let marker = gap >= 0.0 && gap < MARKER_GAP * size && is_marker(&line.text);
                    if gap < LINE_JOIN_GAP * size || marker {
                        // A separate run overlapping the line by more than a fifth of an em
                        // is a separate word too (a check box drawn over its label).
                        if gap > WORD_GAP * size || gap < -0.2 * size {
                            line.push_space();
                        }
                        line.append(&r);
                    } else {
                        out.push(cur.take().unwrap_or(r.clone()));
                        cur = Some(r);
                    }
                }
                Some(_) => {
                    out.extend(cur.take());
                    cur = Some(r);
                }
                None => cur = Some(r),
            }
        }
        if let Some(line) = cur {
            out.push(line);
        }
        i = j;
    }
    out
}

fn starts_with_marker(text: &str) -> bool {
    list_marker(text).is_some()
}

/// Lines → paragraphs.
fn paragraphs(lines: Vec<Line>) -> Vec<Para> {
    let mut paras: Vec<Para> = Vec::new();
    let mut active: Vec<usize> = Vec::new();
    for line in lines {
        let size = line.size.max(0.1);
        let mut best: Option<(usize, f32)> = None;
        active.retain(|&p| {
            paras[p]
                .lines
                .last()
                .is_some_and(|l| l.dir != line.dir || l.y - line.y <= 3.0 * size.max(l.size))
        });
        if !starts_with_marker(&line.text) {
            for &p in &active {
                let para = &paras[p];
                let (Some(first), Some(last)) = (para.lines.first(), para.lines.last()) else {
                    continue;
                };
                if last.dir != line.dir || last.cell != line.cell {
                    continue;
                }
                // A bold heading line does not take the plain text under it.
                if para.lines.len() <= 3 && para.lines.iter().all(Line::is_bold) && !line.is_bold()
                {
                    continue;
                }
                // A list item takes only lines indented to its text (its hanging indent).
                if first.text_x0 > first.x0 && line.x0 < first.text_x0 - 0.5 * size {
                    continue;
                }
                let dy = last.y - line.y;
                let big = size.max(last.size);
                // Bold lines (headings) of another size are another heading.
                let tolerance = if last.is_bold() || line.is_bold() {
                    0.06
                } else {
                    0.2
                };
                let similar = (last.size - size).abs() <= tolerance * big;
                let overlap = line.x0.min(para.x1) - line.x0.max(para.x0);
                let over = overlap > 0.0
                    || (line.x0 - last.x0).abs() < 2.0 * big
                    || (line.x0 - first.text_x0).abs() < 0.5 * big;
                if dy > 0.4 * big
                    && dy <= MAX_LINE_SPACING * big
                    && similar
                    && over
                    && best.is_none_or(|(_, d)| dy < d)
                {
                    best = Some((p, dy));
                }
            }
        }
        match best {
            Some((p, _)) => paras[p].push(line),
            None => {
                paras.push(Para::new(line));
                active.push(paras.len() - 1);
            }
        }
    }
    paras
}

/// Reading order by recursive cuts along white space.
fn order(paras: &[Para], idx: Vec<usize>, depth: usize, out: &mut Vec<usize>) {
    if idx.len() <= 1 || depth > 48 {
        let mut idx = idx;
        idx.sort_by(|&a, &b| {
            paras[b]
                .top
                .total_cmp(&paras[a].top)
                .then(paras[a].x0.total_cmp(&paras[b].x0))
        });
        out.extend(idx);
        return;
    }
    let width = {
        let x0 = idx.iter().map(|&i| paras[i].x0).fold(f32::MAX, f32::min);
        let x1 = idx.iter().map(|&i| paras[i].x1).fold(f32::MIN, f32::max);
        (x1 - x0).max(1.0)
    };
    // Horizontal bands, top to bottom.
    let mut by_top = idx.clone();
    by_top.sort_by(|&a, &b| paras[b].top.total_cmp(&paras[a].top));
    let mut bands: Vec<Vec<usize>> = Vec::new();
    let mut floor = f32::MAX;
    for &i in &by_top {
        let p = &paras[i];
        match bands.last_mut() {
            Some(b) if p.top >= floor => {
                b.push(i);
                floor = floor.min(p.bottom);
            }
            _ => {
                bands.push(vec![i]);
                floor = p.bottom;
            }
        }
    }
    // Cut between bands only next to a wide band (a title or full-width text), so that
    // paragraph gaps that happen to line up across columns do not interleave the columns.
    let wide = |band: &Vec<usize>| {
        let x0 = band.iter().map(|&i| paras[i].x0).fold(f32::MAX, f32::min);
        let x1 = band.iter().map(|&i| paras[i].x1).fold(f32::MIN, f32::max);
        let has_gutter = {
            let mut xs: Vec<(f32, f32)> =
                band.iter().map(|&i| (paras[i].x0, paras[i].x1)).collect();
            xs.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut reach = f32::MIN;
            let mut gutter = false;
            for (a, b) in xs {
                if reach > f32::MIN && a > reach {
                    gutter = true;
                }
                reach = reach.max(b);
            }
            gutter
        };
        x1 - x0 >= 0.6 * width && !has_gutter
    };
    if bands.len() > 1 {
        let mut merged: Vec<Vec<usize>> = Vec::new();
        for band in bands.iter() {
            let cut = match merged.last() {
                None => true,
                Some(prev) => wide(prev) || wide(band),
            };
            if cut {
                merged.push(band.clone());
            } else if let Some(m) = merged.last_mut() {
                m.extend(band.iter().copied());
            }
        }
        if merged.len() > 1 {
            for band in merged {
                order(paras, band, depth + 1, out);
            }
            return;
        }
    }
    // Vertical columns, left to right.
    let mut by_x = idx.clone();
    by_x.sort_by(|&a, &b| paras[a].x0.total_cmp(&paras[b].x0));
    let mut cols: Vec<Vec<usize>> = Vec::new();
    let mut reach = f32::MIN;
    for &i in &by_x {
        let p = &paras[i];
        if cols.is_empty() || p.x0 > reach {
            cols.push(vec![i]);
        } else if let Some(c) = cols.last_mut() {
            c.push(i);
        }
        reach = reach.max(p.x1);
    }
    if cols.len() > 1 {
        for col in cols {
            order(paras, col, depth + 1, out);
        }
        return;
    }
    if bands.len() > 1 {
        for band in bands {
            order(paras, band, depth + 1, out);
        }
        return;
    }
    order(paras, idx, 49, out);
}

/// A font whose name says it is bold (or heavier).
fn is_bold_font(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["bold", "black", "heavy", "demi"]
        .iter()
        .any(|w| lower.contains(w))
}

/// Whether a grid's boundaries cut through words (glyphs that follow each other on one
/// baseline with no gap fall into different cells): boxes drawn around letters or
/// syllables, a form's comb fields, are no table of text.
fn cuts_words(page: &PageContent, table: &Table) -> bool {
    let cell = |g: &Glyph| table.cell_at((g.x0 + g.x1) / 2.0, g.y + 0.3 * g.size);
    page.glyphs.windows(2).any(|w| {
        let (a, b) = (&w[0], &w[1]);
        !a.space
            && !b.space
            && a.dir == 0
            && b.dir == 0
            && (a.y - b.y).abs() < 0.1 * a.size
            && (b.x0 - a.x1).abs() < WORD_GAP * a.size
            && glyph_text(page, a).chars().all(char::is_alphanumeric)
            && glyph_text(page, b).chars().all(char::is_alphanumeric)
            && matches!((cell(a), cell(b)), (Some(x), Some(y)) if x != y)
    })
}

/// Each glyph's table cell: an index into `refs` (the page's cells, table after table), or
/// [`NO_CELL`].
fn glyph_cells(page: &PageContent, tables: &[Table], refs: &mut Vec<CellPos>) -> Vec<u32> {
    if tables.is_empty() {
        return Vec::new();
    }
    let mut base = Vec::with_capacity(tables.len());
    for (t, table) in tables.iter().enumerate() {
        base.push(refs.len());
        refs.extend(table.cells.iter().map(|c| CellPos {
            table: t as u32,
            row: c.row,
            col: c.col,
            cols: table.cols() as u32,
        }));
    }
    page.glyphs
        .iter()
        .map(|g| {
            if g.dir != 0 {
                return NO_CELL;
            }
            let (x, y) = ((g.x0 + g.x1) / 2.0, g.y + 0.3 * g.size);
            tables
                .iter()
                .zip(&base)
                .find_map(|(t, b)| t.cell_at(x, y).map(|c| (b + c) as u32))
                .unwrap_or(NO_CELL)
        })
        .collect()
}

/// Lay out one page: paragraphs in reading order. A ruled table comes out where it stands in
/// the reading order, as one paragraph per cell, row by row.
pub fn layout(page: &PageContent) -> Vec<Para> {
    let mut tables = table::tables(&page.rulings);
    // Each test reads every glyph: a page of hundreds of grids is a drawing, not tables.
    tables.truncate(MAX_TABLES);
    tables.retain(|t| !cuts_words(page, t));
    let mut refs: Vec<CellPos> = Vec::new();
    let cells = glyph_cells(page, &tables, &mut refs);
    let bold: Vec<bool> = page.font_names.iter().map(|n| is_bold_font(n)).collect();
    let runs = runs(page, &cells, &bold);
    let mut lines = lines(runs);
    for l in &mut lines {
        // Letters with accents drawn apart are composed (NFC) once the line is in order.
        l.text = logical_order(l).nfc().collect();
        l.units = Vec::new();
    }
    let mut boxes: Vec<[f32; 4]> = tables.iter().map(Table::bbox).collect();
    // Ruled one-row tables that head an unruled table.
    let mut headed: Vec<usize> = Vec::new();
    for t in aligned::tables(&lines) {
        // A one-row ruled table right above, as wide and with as many columns, is the header
        // row, shaded or underlined, of a table drawn without rulings.
        let header = tables.iter().position(|r| {
            let [x0, y0, x1, _] = r.bbox();
            r.rows() == 1
                && r.cols() == t.cols as usize
                && y0 >= t.bbox[3] - 2.0
                && y0 - t.bbox[3] <= 24.0
                && x0 <= t.bbox[0] + 12.0
                && x1 >= t.bbox[2] - 12.0
        });
        let (table, shift) = match header {
            Some(h) => {
                headed.push(h);
                let b = &mut boxes[h];
                b[0] = b[0].min(t.bbox[0]);
                b[1] = b[1].min(t.bbox[1]);
                b[2] = b[2].max(t.bbox[2]);
                (h as u32, 1)
            }
            None => {
                boxes.push(t.bbox);
                (boxes.len() as u32 - 1, 0)
            }
        };
        let mut ids: std::collections::HashMap<(u32, u32), u32> = Default::default();
        for (idx, row, col) in t.cells {
            let id = *ids.entry((row, col)).or_insert_with(|| {
                refs.push(CellPos {
                    table,
                    row: row + shift,
                    col,
                    cols: t.cols,
                });
                refs.len() as u32 - 1
            });
            if let Some(l) = lines.get_mut(idx) {
                l.cell = id;
            }
        }
    }
    let mut paras: Vec<Para> = Vec::new();
    let mut in_cells: Vec<Vec<Para>> = vec![Vec::new(); refs.len()];
    for p in paragraphs(lines) {
        let cell = p.lines.first().map_or(NO_CELL, |l| l.cell);
        match in_cells.get_mut(cell as usize) {
            Some(list) => list.push(p),
            None => paras.push(p),
        }
    }
    // One paragraph per cell, its lines top to bottom; cells gathered per table.
    let mut table_cells: Vec<Vec<Para>> = vec![Vec::new(); boxes.len()];
    for (parts, pos) in in_cells.into_iter().zip(&refs) {
        let mut lines: Vec<Line> = parts.into_iter().flat_map(|p| p.lines).collect();
        lines.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
        let mut lines = lines.into_iter();
        let Some(first) = lines.next() else { continue };
        let mut para = Para::new(first);
        for l in lines {
            para.push(l);
        }
        para.cell = Some(*pos);
        if let Some(list) = table_cells.get_mut(pos.table as usize) {
            list.push(para);
        }
    }
    // A ruled grid is a table when two or more of its cells have text, in two or more rows
    // (or it heads an unruled table): a row of boxes around words in a margin, or a box with
    // a single text in it, is read as text.
    for (t, list) in table_cells.iter_mut().enumerate().take(tables.len()) {
        let mut rows: Vec<u32> = list.iter().filter_map(|p| p.cell.map(|c| c.row)).collect();
        rows.sort_unstable();
        rows.dedup();
        if list.len() < 2 || (rows.len() < 2 && !headed.contains(&t)) {
            for mut p in list.drain(..) {
                p.cell = None;
                paras.push(p);
            }
        }
    }
    // Each table takes part in the reading order as one box.
    let free = paras.len();
    let mut placed_tables: Vec<usize> = Vec::new();
    for (t, list) in table_cells.iter().enumerate() {
        if list.is_empty() {
            continue;
        }
        let [x0, y0, x1, y1] = boxes[t];
        paras.push(Para {
            dir: 0,
            lines: Vec::new(),
            x0,
            x1,
            top: y1,
            bottom: y0,
            cell: None,
        });
        placed_tables.push(t);
    }
    // Order each direction separately; the page's main direction first.
    let mut counts = [0usize; 4];
    for p in &paras {
        counts[(p.dir & 3) as usize] += p.lines.iter().map(|l| l.chars).sum::<usize>();
    }
    let main = (0..4u8)
        .max_by_key(|&d| (counts[d as usize], 4 - d))
        .unwrap_or(0);
    let mut dirs: Vec<u8> = vec![main];
    dirs.extend((0..4u8).filter(|&d| d != main));
    let mut ordered: Vec<usize> = Vec::with_capacity(paras.len());
    for d in dirs {
        let idx: Vec<usize> = (0..paras.len()).filter(|&i| paras[i].dir == d).collect();
        if idx.len() > 5000 {
            // Too many blocks to cut: plain top-to-bottom order.
            order(&paras, idx, 49, &mut ordered);
        } else {
            order(&paras, idx, 0, &mut ordered);
        }
    }
    let mut slots: Vec<Option<Para>> = paras.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(slots.len());
    for i in ordered {
        if i >= free {
            let Some(&t) = placed_tables.get(i - free) else {
                continue;
            };
            let mut cells = std::mem::take(&mut table_cells[t]);
            cells.sort_by_key(|p| p.cell.map(|c| (c.row, c.col)));
            out.extend(cells);
        } else if let Some(p) = slots.get_mut(i).and_then(Option::take) {
            out.push(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::content::Ruling;
    use super::*;

    fn page(items: &[(&str, f32, f32, f32)]) -> PageContent {
        // (text, x, y, size): one glyph per character, advance 0.5 × size.
        let mut p = PageContent::default();
        for (text, x, y, size) in items {
            let mut x = *x;
            for c in text.chars() {
                let start = p.text.len() as u32;
                let space = c == ' ';
                if !space {
                    p.text.push(c);
                }
                p.glyphs.push(Glyph {
                    x0: x,
                    x1: x + 0.5 * size,
                    y: *y,
                    size: *size,
                    dir: 0,
                    start,
                    end: p.text.len() as u32,
                    space,
                    font: 0,
                });
                x += 0.5 * size;
            }
        }
        p
    }

    fn texts(paras: &[Para]) -> Vec<String> {
        paras.iter().map(Para::text).collect()
    }

    #[test]
    fn words_from_spaces_and_gaps() {
        let p = page(&[
            ("Hello world", 100.0, 700.0, 10.0),
            ("again", 165.0, 700.0, 10.0),
        ]);
        assert_eq!(texts(&layout(&p)), ["Hello world again"]);
    }

    #[test]
    fn paragraph_lines_and_separate_paragraphs() {
        let p = page(&[
            ("first line", 100.0, 700.0, 10.0),
            ("second line", 100.0, 688.0, 10.0),
            ("new para", 100.0, 650.0, 10.0),
        ]);
        assert_eq!(texts(&layout(&p)), ["first line\nsecond line", "new para"]);
    }

    #[test]
    fn two_columns_read_in_order() {
        let p = page(&[
            ("Title across the page", 100.0, 750.0, 16.0),
            ("left one", 100.0, 700.0, 10.0),
            ("right one", 300.0, 700.0, 10.0),
            ("left two", 100.0, 688.0, 10.0),
            ("right two", 300.0, 688.0, 10.0),
        ]);
        assert_eq!(
            texts(&layout(&p)),
            [
                "Title across the page",
                "left one\nleft two",
                "right one\nright two"
            ]
        );
    }

    #[test]
    fn right_to_left_in_visual_order_is_reversed() {
        // "שלום 42 abc" as its glyphs stand on the page, left to right.
        let p = page(&[("abc 42 םולש", 100.0, 700.0, 10.0)]);
        assert_eq!(texts(&layout(&p)), ["שלום 42 abc"]);
    }

    #[test]
    fn accents_drawn_apart_are_composed() {
        // "O" "g" with a breve drawn over the g, then "uz".
        let mut p = page(&[("Og", 100.0, 700.0, 10.0), ("uz", 110.0, 700.0, 10.0)]);
        let start = p.text.len() as u32;
        p.text.push('\u{2D8}');
        let breve = Glyph {
            x0: 105.0,
            x1: 109.0,
            y: 700.0,
            size: 10.0,
            dir: 0,
            start,
            end: p.text.len() as u32,
            space: false,
            font: 0,
        };
        p.glyphs.insert(2, breve);
        assert_eq!(texts(&layout(&p)), ["Oğuz"]);
    }

    #[test]
    fn fake_bold_is_kept_once() {
        let p = page(&[("Bold", 100.0, 700.0, 10.0), ("Bold", 100.3, 700.0, 10.0)]);
        assert_eq!(texts(&layout(&p)), ["Bold"]);
    }

    fn ruling(horizontal: bool, at: f32, from: f32, to: f32) -> Ruling {
        Ruling {
            horizontal,
            at,
            from,
            to,
        }
    }

    #[test]
    fn a_ruled_table_comes_out_row_by_row() {
        // Two columns, three rows; the first column's text wraps over two lines.
        let mut p = page(&[
            ("Intro text above the table", 100.0, 760.0, 10.0),
            ("Commitment", 105.0, 735.0, 10.0),
            ("Target", 255.0, 735.0, 10.0),
            ("Volunteering", 105.0, 710.0, 10.0),
            ("days", 105.0, 698.0, 10.0),
            ("200", 255.0, 710.0, 10.0),
            ("Local spend", 105.0, 675.0, 10.0),
            ("35%", 255.0, 675.0, 10.0),
        ]);
        for y in [750.0, 725.0, 690.0, 665.0] {
            p.rulings.push(ruling(true, y, 100.0, 400.0));
        }
        for x in [100.0, 250.0, 400.0] {
            p.rulings.push(ruling(false, x, 665.0, 750.0));
        }
        let paras = layout(&p);
        let cells: Vec<(u32, u32, String)> = paras
            .iter()
            .filter_map(|q| q.cell.map(|c| (c.row, c.col, q.text())))
            .collect();
        assert_eq!(texts(&paras)[0], "Intro text above the table");
        assert_eq!(
            cells,
            [
                (0, 0, "Commitment".to_string()),
                (0, 1, "Target".to_string()),
                (1, 0, "Volunteering\ndays".to_string()),
                (1, 1, "200".to_string()),
                (2, 0, "Local spend".to_string()),
                (2, 1, "35%".to_string()),
            ]
        );
    }

    #[test]
    fn a_private_use_bullet_set_apart_by_a_tab_starts_an_item() {
        let p = page(&[
            ("We will:", 100.0, 700.0, 10.0),
            ("\u{F0B7}", 110.0, 686.0, 10.0),
            ("hire locally;", 130.0, 686.0, 10.0),
            ("\u{F0B7}", 110.0, 672.0, 10.0),
            ("train twelve", 130.0, 672.0, 10.0),
            ("apprentices.", 130.0, 660.0, 10.0),
            ("Plain text after the list.", 100.0, 646.0, 10.0),
        ]);
        assert_eq!(
            texts(&layout(&p)),
            [
                "We will:",
                "\u{F0B7} hire locally;",
                "\u{F0B7} train twelve\napprentices.",
                "Plain text after the list."
            ]
        );
    }

    #[test]
    fn a_bold_heading_line_is_apart_from_the_text_under_it() {
        let mut p = page(&[
            ("7.2 Local employment", 100.0, 700.0, 10.0),
            ("All of our staff live", 100.0, 688.0, 10.0),
            ("in the borough.", 100.0, 676.0, 10.0),
        ]);
        p.font_names = vec!["Regular".into(), "LiberationSans-Bold".into()];
        for g in p.glyphs.iter_mut().take(20) {
            g.font = 1;
        }
        assert_eq!(
            texts(&layout(&p)),
            [
                "7.2 Local employment",
                "All of our staff live\nin the borough."
            ]
        );
    }
}
