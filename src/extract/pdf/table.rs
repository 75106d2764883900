//! Ruled tables: the grids that Word and LibreOffice draw around table cells.
//!
//! * Rulings (stroked segments, thin filled boxes, edges of shaded boxes) on one line are
//!   merged; a horizontal and a vertical ruling that touch are connected, and each connected
//!   set with at least two of each is a candidate table. Rulings that touch fewer than two
//!   others (underlines, a rule between sections) are dropped first.
//! * The distinct heights of the horizontal rulings are the row boundaries, the distinct
//!   positions of the vertical ones the column boundaries. A boundary that is not drawn
//!   across a grid cell merges that cell with its neighbour, so merged cells come out as one
//!   cell at their top-left grid position, as the DOCX reader numbers them.
//! * A grid of fewer than two cells (a box around a paragraph, a page frame) is no table.

use super::content::Ruling;

/// Rulings closer than this (user space units) are one line; ends closer than this touch.
const TOUCH: f32 = 2.0;
/// Most horizontal × vertical pairs tested on one page (a page of hatching is no table).
const MAX_PAIRS: usize = 4_000_000;
/// Most grid cells in one table.
const MAX_GRID_CELLS: usize = 5_000;
/// Most rulings in one connected set (a chart's grid or hatching is no table of text).
const MAX_SET_RULINGS: usize = 2_000;
/// Passes that drop loose rulings; each pass tests every pair, so they are few.
const MAX_PASSES: usize = 8;

/// One cell of a table, merged cells as one.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub row: u32,
    pub col: u32,
    /// `[x0, y0, x1, y1]` in user space.
    pub bbox: [f32; 4],
}

/// A ruled table on one page.
#[derive(Clone, Debug)]
pub struct Table {
    /// Column boundaries, left to right.
    pub xs: Vec<f32>,
    /// Row boundaries, top to bottom (descending `y`).
    pub ys: Vec<f32>,
    pub cells: Vec<Cell>,
    /// For each grid position (row-major), the index of its cell in `cells`.
    grid: Vec<usize>,
}

impl Table {
    pub fn rows(&self) -> usize {
        self.ys.len().saturating_sub(1)
    }

    pub fn cols(&self) -> usize {
        self.xs.len().saturating_sub(1)
    }

    /// `[x0, y0, x1, y1]` of the whole table.
    pub fn bbox(&self) -> [f32; 4] {
        [
            self.xs.first().copied().unwrap_or(0.0),
            self.ys.last().copied().unwrap_or(0.0),
            self.xs.last().copied().unwrap_or(0.0),
            self.ys.first().copied().unwrap_or(0.0),
        ]
    }

    /// The cell (index into `cells`) that holds the point, if the point is in the table.
    pub fn cell_at(&self, x: f32, y: f32) -> Option<usize> {
        let [x0, y0, x1, y1] = self.bbox();
        if x < x0 || x > x1 || y < y0 || y > y1 {
            return None;
        }
        let col = self.xs.partition_point(|&b| b <= x).clamp(1, self.cols()) - 1;
        let row = self.ys.partition_point(|&b| b >= y).clamp(1, self.rows()) - 1;
        self.grid.get(row * self.cols() + col).copied()
    }
}

/// Merge rulings of one orientation that lie on one line and overlap or touch.
fn merge(mut segs: Vec<Ruling>) -> Vec<Ruling> {
    segs.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.from.total_cmp(&b.from)));
    // Group by line (positions within TOUCH of the group's first), then join along it.
    let mut out: Vec<Ruling> = Vec::with_capacity(segs.len());
    let mut i = 0;
    while i < segs.len() {
        let base = segs[i].at;
        let mut j = i;
        while j < segs.len() && segs[j].at - base <= TOUCH / 2.0 {
            j += 1;
        }
        let mut line: Vec<Ruling> = segs[i..j].to_vec();
        line.sort_by(|a, b| a.from.total_cmp(&b.from));
        let at = line.iter().map(|r| r.at).sum::<f32>() / line.len() as f32;
        let mut cur: Option<Ruling> = None;
        for r in line {
            match cur.as_mut() {
                Some(c) if r.from <= c.to + TOUCH => c.to = c.to.max(r.to),
                _ => {
                    out.extend(cur.take());
                    cur = Some(Ruling { at, ..r });
                }
            }
        }
        out.extend(cur);
        i = j;
    }
    out
}

fn touches(h: &Ruling, v: &Ruling) -> bool {
    v.at >= h.from - TOUCH && v.at <= h.to + TOUCH && h.at >= v.from - TOUCH && h.at <= v.to + TOUCH
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

/// Positions closer than TOUCH are one boundary (double borders, shading edges beside lines).
fn boundaries(mut at: Vec<f32>) -> Vec<f32> {
    at.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    for a in at {
        match out.last_mut() {
            Some(last) if a - *last <= TOUCH => *last = (*last + a) / 2.0,
            _ => out.push(a),
        }
    }
    out
}

/// The ruled tables among a page's rulings.
pub fn tables(rulings: &[Ruling]) -> Vec<Table> {
    let mut hs = merge(rulings.iter().filter(|r| r.horizontal).copied().collect());
    let mut vs = merge(rulings.iter().filter(|r| !r.horizontal).copied().collect());
    if hs.len() < 2 || vs.len() < 2 || hs.len().saturating_mul(vs.len()) > MAX_PAIRS {
        return Vec::new();
    }
    // Drop rulings touching fewer than two of the other orientation, until none is left (or
    // for a few passes: what is left then is tested as a grid anyway).
    for _ in 0..MAX_PASSES {
        let keep_h: Vec<bool> = hs
            .iter()
            .map(|h| vs.iter().filter(|v| touches(h, v)).take(2).count() >= 2)
            .collect();
        let keep_v: Vec<bool> = vs
            .iter()
            .map(|v| hs.iter().filter(|h| touches(h, v)).take(2).count() >= 2)
            .collect();
        if keep_h.iter().all(|&k| k) && keep_v.iter().all(|&k| k) {
            break;
        }
        let mut it = keep_h.iter();
        hs.retain(|_| *it.next().unwrap_or(&false));
        let mut it = keep_v.iter();
        vs.retain(|_| *it.next().unwrap_or(&false));
        if hs.len() < 2 || vs.len() < 2 {
            return Vec::new();
        }
    }
    // Connected sets: horizontals are 0..hs.len(), verticals follow.
    let mut parent: Vec<usize> = (0..hs.len() + vs.len()).collect();
    for (i, h) in hs.iter().enumerate() {
        for (j, v) in vs.iter().enumerate() {
            if touches(h, v) {
                union(&mut parent, i, hs.len() + j);
            }
        }
    }
    // Each connected set's rulings, gathered in one pass.
    let mut sets: std::collections::BTreeMap<usize, (Vec<&Ruling>, Vec<&Ruling>)> =
        std::collections::BTreeMap::new();
    for (i, h) in hs.iter().enumerate() {
        sets.entry(find(&mut parent, i)).or_default().0.push(h);
    }
    for (j, v) in vs.iter().enumerate() {
        sets.entry(find(&mut parent, hs.len() + j))
            .or_default()
            .1
            .push(v);
    }
    let mut out: Vec<Table> = sets
        .values()
        .filter(|(h, v)| h.len() + v.len() <= MAX_SET_RULINGS)
        .filter_map(|(h, v)| grid(h, v))
        .collect();
    // Top to bottom, then left to right.
    out.sort_by(|a, b| {
        b.ys[0]
            .total_cmp(&a.ys[0])
            .then(a.xs[0].total_cmp(&b.xs[0]))
    });
    out
}

/// The grid of one connected set of rulings, with its merged cells.
fn grid(h: &[&Ruling], v: &[&Ruling]) -> Option<Table> {
    if h.len() < 2 || v.len() < 2 {
        return None;
    }
    let xs = boundaries(v.iter().map(|r| r.at).collect());
    let mut ys = boundaries(h.iter().map(|r| r.at).collect());
    ys.reverse();
    let (rows, cols) = (ys.len().checked_sub(1)?, xs.len().checked_sub(1)?);
    if rows * cols < 2 || rows * cols > MAX_GRID_CELLS {
        return None;
    }
    let drawn_v = |x: f32, y: f32| {
        v.iter()
            .any(|r| (r.at - x).abs() <= TOUCH && r.from - TOUCH <= y && y <= r.to + TOUCH)
    };
    let drawn_h = |y: f32, x: f32| {
        h.iter()
            .any(|r| (r.at - y).abs() <= TOUCH && r.from - TOUCH <= x && x <= r.to + TOUCH)
    };
    let mut parent: Vec<usize> = (0..rows * cols).collect();
    for r in 0..rows {
        let mid_y = (ys[r] + ys[r + 1]) / 2.0;
        for c in 0..cols {
            let mid_x = (xs[c] + xs[c + 1]) / 2.0;
            if c + 1 < cols && !drawn_v(xs[c + 1], mid_y) {
                union(&mut parent, r * cols + c, r * cols + c + 1);
            }
            if r + 1 < rows && !drawn_h(ys[r + 1], mid_x) {
                union(&mut parent, r * cols + c, (r + 1) * cols + c);
            }
        }
    }
    // One cell per root, numbered at its top-left grid position (roots are the smallest
    // index of their set, which is the top-left one for rectangular merges).
    let mut cells: Vec<Cell> = Vec::new();
    let mut index_of_root: Vec<usize> = vec![usize::MAX; rows * cols];
    let mut grid = vec![0usize; rows * cols];
    for (i, slot) in grid.iter_mut().enumerate() {
        let root = find(&mut parent, i);
        let (r, c) = (i / cols, i % cols);
        let bbox = [xs[c], ys[r + 1], xs[c + 1], ys[r]];
        if index_of_root[root] == usize::MAX {
            index_of_root[root] = cells.len();
            cells.push(Cell {
                row: (root / cols) as u32,
                col: (root % cols) as u32,
                bbox,
            });
        } else {
            let cell = &mut cells[index_of_root[root]];
            cell.bbox = [
                cell.bbox[0].min(bbox[0]),
                cell.bbox[1].min(bbox[1]),
                cell.bbox[2].max(bbox[2]),
                cell.bbox[3].max(bbox[3]),
            ];
        }
        *slot = index_of_root[root];
    }
    if cells.len() < 2 {
        return None;
    }
    Some(Table {
        xs,
        ys,
        cells,
        grid,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(y: f32, x0: f32, x1: f32) -> Ruling {
        Ruling {
            horizontal: true,
            at: y,
            from: x0,
            to: x1,
        }
    }

    fn v(x: f32, y0: f32, y1: f32) -> Ruling {
        Ruling {
            horizontal: false,
            at: x,
            from: y0,
            to: y1,
        }
    }

    #[test]
    fn a_full_grid_gives_every_cell() {
        // Two rows, three columns, each border drawn per cell (as Word does).
        let mut r = Vec::new();
        for y in [700.0, 680.0, 660.0] {
            for (x0, x1) in [(100.0, 200.0), (200.0, 300.0), (300.0, 400.0)] {
                r.push(h(y, x0, x1));
            }
        }
        for x in [100.0, 200.0, 300.0, 400.0] {
            r.push(v(x, 680.0, 700.0));
            r.push(v(x, 660.0, 680.0));
        }
        let t = tables(&r);
        assert_eq!(t.len(), 1);
        assert_eq!((t[0].rows(), t[0].cols()), (2, 3));
        assert_eq!(t[0].cells.len(), 6);
        let c = &t[0].cells[t[0].cell_at(250.0, 670.0).unwrap()];
        assert_eq!((c.row, c.col), (1, 1));
        assert_eq!(t[0].cell_at(450.0, 670.0), None);
    }

    #[test]
    fn an_undrawn_boundary_merges_cells() {
        // Header "Target" over two columns: no vertical line at x=300 in the top row.
        let r = vec![
            h(700.0, 100.0, 400.0),
            h(680.0, 100.0, 400.0),
            h(660.0, 100.0, 400.0),
            v(100.0, 660.0, 700.0),
            v(200.0, 660.0, 700.0),
            v(300.0, 660.0, 680.0),
            v(400.0, 660.0, 700.0),
        ];
        let t = tables(&r);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].cells.len(), 5);
        let top = t[0].cell_at(350.0, 690.0).unwrap();
        assert_eq!(t[0].cell_at(250.0, 690.0), Some(top));
        assert_eq!((t[0].cells[top].row, t[0].cells[top].col), (0, 1));
    }

    #[test]
    fn a_box_and_an_underline_are_no_table() {
        let r = vec![
            h(700.0, 100.0, 400.0),
            h(600.0, 100.0, 400.0),
            v(100.0, 600.0, 700.0),
            v(400.0, 600.0, 700.0),
            h(650.0, 150.0, 200.0),
        ];
        assert!(tables(&r).is_empty());
    }
}
