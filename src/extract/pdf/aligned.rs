//! Tables without rulings: columns told from the alignment of text across consecutive lines.
//!
//! A table drawn without borders still prints as rows of short pieces of text on one baseline,
//! each piece starting at one of a few column positions, with wrapped cell text below a piece
//! at the same position. Two-column prose looks alike (two pieces per baseline, aligned
//! starts), but its lines fill their column, while most table cells are shorter than their
//! column: that is the test that tells them apart.
//!
//! * Lines are grouped into baselines, and baselines into blocks of text set close together.
//! * In a block, the pieces of the baselines holding two or more ("multi rows") give the
//!   columns: the x-ranges they cover, merged where they overlap, so that left-aligned,
//!   centred and right-aligned columns all come out.
//! * The table is a run of baselines whose pieces each lie in one column, no two in one,
//!   with at least two multi rows (three for two columns), enough cells shorter than their
//!   column, and cells that start texts of their own (prose lines mostly start in lower case).
//! * Rows: a baseline starts one when a column that was empty on the baseline above has text
//!   again, or when it is set further down than wrapped lines are; else it goes on with the
//!   row above (wrapped cell text).

use super::layout::{Line, NO_CELL};

/// Baselines further apart than this (× font size) are in different blocks.
const BLOCK_GAP: f32 = 2.4;
/// Most baselines in one block looked at, and most columns in one table.
const MAX_BLOCK_ROWS: usize = 2_000;
const MAX_COLUMNS: usize = 64;
/// Below this share of pieces shorter than 60% of their column, columns of one width are prose.
const MIN_SHORT_SHARE: f32 = 0.45;

/// A table found by alignment: for each of its lines (indices into the page's lines), the
/// row and column.
pub struct Aligned {
    pub cols: u32,
    pub cells: Vec<(usize, u32, u32)>,
    pub bbox: [f32; 4],
}

/// Baselines of `lines` (which come sorted top to bottom, then left to right): index ranges.
fn baselines(lines: &[Line]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let mut j = i + 1;
        while j < lines.len()
            && lines[j].dir == lines[i].dir
            && (lines[j].y - lines[i].y).abs() <= 0.35 * lines[i].size.max(0.1)
        {
            j += 1;
        }
        out.push(i..j);
        i = j;
    }
    out
}

/// Tables by alignment among the page's upright lines that are in no ruled table.
pub fn tables(lines: &[Line]) -> Vec<Aligned> {
    let rows: Vec<std::ops::Range<usize>> = baselines(lines)
        .into_iter()
        .filter(|r| lines[r.start].dir == 0 && lines[r.clone()].iter().all(|l| l.cell == NO_CELL))
        .collect();
    let mut out = Vec::new();
    let mut b = 0;
    while b < rows.len() {
        // A block: baselines set close together.
        let mut e = b + 1;
        while e < rows.len() {
            let (prev, next) = (&lines[rows[e - 1].start], &lines[rows[e].start]);
            let size = prev.size.max(next.size).max(0.1);
            if prev.y - next.y > BLOCK_GAP * size {
                break;
            }
            e += 1;
        }
        find_in_block(lines, &rows[b..e], &mut out);
        b = e;
    }
    out
}

/// Columns: the x-ranges that the pieces of the given baselines cover, merged where they
/// overlap (or nearly touch), left to right.
fn columns<'a>(pieces: impl Iterator<Item = &'a Line>) -> Vec<(f32, f32)> {
    let mut spans: Vec<(f32, f32, f32)> = pieces.map(|l| (l.x0, l.x1, l.size)).collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<(f32, f32)> = Vec::new();
    for (x0, x1, size) in spans {
        match out.last_mut() {
            Some(last) if x0 <= last.1 + 0.15 * size => last.1 = last.1.max(x1),
            _ => out.push((x0, x1)),
        }
    }
    out
}

/// The columns a piece covers (first and last), or the nearest column when it lies in a
/// gap between columns; `None` outside the columns' extent.
fn span_of(cols: &[(f32, f32)], l: &Line) -> Option<(usize, usize)> {
    let slack = 0.1 * l.size;
    let (first_x, last_x) = (cols.first()?.0, cols.last()?.1);
    if l.x1 < first_x - 2.0 * l.size || l.x0 > last_x + 2.0 * l.size {
        return None;
    }
    let covers = |c: &usize| l.x0 <= cols[*c].1 + slack && l.x1 >= cols[*c].0 - slack;
    if let (Some(a), Some(b)) = ((0..cols.len()).find(covers), (0..cols.len()).rfind(covers)) {
        return Some((a, b));
    }
    let mid = (l.x0 + l.x1) / 2.0;
    let nearest = (0..cols.len()).min_by(|&a, &b| {
        let d = |c: usize| (cols[c].0 - mid).abs().min((cols[c].1 - mid).abs());
        d(a).total_cmp(&d(b))
    })?;
    Some((nearest, nearest))
}

/// Whether the baseline's pieces each cover columns of their own.
fn fits(lines: &[Line], r: &std::ops::Range<usize>, cols: &[(f32, f32)]) -> bool {
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for l in &lines[r.clone()] {
        let Some((a, b)) = span_of(cols, l) else {
            return false;
        };
        if taken.iter().any(|&(x, y)| a <= y && x <= b) {
            return false;
        }
        taken.push((a, b));
    }
    true
}

fn find_in_block(lines: &[Line], rows: &[std::ops::Range<usize>], out: &mut Vec<Aligned>) {
    // Bounds the work on a hostile page: rows × pieces × columns.
    if rows.len() > MAX_BLOCK_ROWS {
        return;
    }
    let multi: Vec<&std::ops::Range<usize>> = rows.iter().filter(|r| r.len() >= 2).collect();
    if multi.len() < 2 {
        return;
    }
    // Columns from the multi rows with the most common number of pieces (the body rows; a
    // header row may have cells that span columns).
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for r in &multi {
        match counts.iter_mut().find(|(n, _)| *n == r.len()) {
            Some((_, k)) => *k += 1,
            None => counts.push((r.len(), 1)),
        }
    }
    let modal = counts
        .iter()
        .max_by_key(|(n, k)| (*k, *n))
        .map_or(2, |(n, _)| *n);
    let cols = columns(
        multi
            .iter()
            .filter(|r| r.len() == modal)
            .flat_map(|r| lines[(*r).clone()].iter()),
    );
    if cols.len() < 2 || cols.len() > MAX_COLUMNS {
        return;
    }
    let fit: Vec<bool> = rows.iter().map(|r| fits(lines, r, &cols)).collect();
    let mut i = 0;
    while i < rows.len() {
        if !fit[i] {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < rows.len() && fit[j] {
            j += 1;
        }
        // Single pieces before the first multi row are text above the table.
        let mut s = i;
        while s < j && rows[s].len() < 2 {
            s += 1;
        }
        if s < j {
            if let Some(t) = build(lines, &rows[s..j], &cols) {
                out.push(t);
            }
        }
        i = j;
    }
}

fn build(lines: &[Line], rows: &[std::ops::Range<usize>], cols: &[(f32, f32)]) -> Option<Aligned> {
    let column_of = |l: &Line| span_of(cols, l).map(|(a, _)| a);
    let multi: Vec<usize> = (0..rows.len()).filter(|&k| rows[k].len() >= 2).collect();
    // Two short baselines side by side could as well be two columns of text: a table of two
    // columns needs three rows of them.
    if multi.len() < 2 || cols.len() < 2 || (cols.len() == 2 && multi.len() < 3) {
        return None;
    }
    // Prose columns fill their width; table cells mostly do not.
    let (mut short, mut all) = (0usize, 0usize);
    for r in rows {
        for l in &lines[r.clone()] {
            let Some((c, e)) = span_of(cols, l) else {
                continue;
            };
            let next = cols.get(e + 1).map_or(cols[e].1, |n| n.0);
            let width = (next - cols[c].0).max(1.0);
            all += 1;
            if l.x1 - l.x0 < 0.6 * width {
                short += 1;
            }
        }
    }
    // Lines of prose mostly go on a sentence (they start in lower case); table cells mostly
    // start a text of their own.
    let (mut lower, mut pieces) = (0usize, 0usize);
    for &k in multi.iter().skip(1) {
        for l in &lines[rows[k].clone()] {
            pieces += 1;
            if l.text.starts_with(char::is_lowercase) {
                lower += 1;
            }
        }
    }
    if lower * 2 > pieces {
        return None;
    }
    // Prose columns are also of one width (within a third); table columns seldom are.
    let widths: Vec<f32> = cols.iter().map(|(a, b)| b - a).collect();
    let widest = widths.iter().copied().fold(0.0, f32::max);
    let even = widths.iter().all(|&w| w >= 0.67 * widest);
    if even && (short as f32) < MIN_SHORT_SHARE * all as f32 {
        return None;
    }
    let y = |k: usize| lines[rows[k].start].y;
    let mut pitches: Vec<f32> = multi.windows(2).map(|w| y(w[0]) - y(w[1])).collect();
    pitches.sort_by(f32::total_cmp);
    let pitch = pitches.get(pitches.len() / 2).copied().unwrap_or(f32::MAX);
    let min_dy = (1..rows.len())
        .map(|k| y(k - 1) - y(k))
        .fold(f32::MAX, f32::min);
    // Rows. A baseline starts a table row when it is the first, when a column that was empty
    // on the baseline above has text again (a cell that had ended cannot go on), or, for a
    // multi row, when it is not set as tight as wrapped lines; a lone piece in the first
    // column starts one after a gap wider than the tightest.
    let mut cells: Vec<(usize, u32, u32)> = Vec::new();
    let mut last_multi = 0u32;
    let mut row: i64 = -1;
    let mut above: Vec<usize> = Vec::new();
    for (k, r) in rows.iter().enumerate() {
        let here: Vec<usize> = lines[r.clone()].iter().filter_map(column_of).collect();
        let size = lines[r.start].size.max(0.1);
        let gap = if k == 0 { f32::MAX } else { y(k - 1) - y(k) };
        let restarts = here.iter().any(|c| !above.contains(c));
        let tight = gap < 0.9 * pitch && gap <= 1.3 * size;
        let new_row = row < 0
            || if r.len() >= 2 {
                restarts || !tight
            } else {
                here.first() == Some(&0) && (restarts || gap > 1.25 * min_dy)
            };
        if new_row {
            row += 1;
        }
        if r.len() >= 2 {
            last_multi = row as u32;
        }
        for (idx, l) in lines[r.clone()].iter().enumerate() {
            let Some(c) = column_of(l) else { continue };
            cells.push((r.start + idx, row as u32, c as u32));
        }
        above = here;
    }
    // Lone first-column pieces after the last multi row are text under the table.
    cells.retain(|(_, row, _)| *row <= last_multi);
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for &(idx, _, _) in &cells {
        let l = &lines[idx];
        x0 = x0.min(l.x0);
        x1 = x1.max(l.x1);
        y0 = y0.min(l.y - 0.25 * l.size);
        y1 = y1.max(l.y + 0.8 * l.size);
    }
    Some(Aligned {
        cols: cols.len() as u32,
        cells,
        bbox: [x0, y0, x1, y1],
    })
}
