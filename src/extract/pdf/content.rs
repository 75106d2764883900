//! The content-stream interpreter: runs a page's operators and yields positioned glyphs.
//!
//! It tracks what decides where text lands: the graphics state stack (`q`/`Q`, `cm`), the text
//! state (`Tc`, `Tw`, `Tz`, `TL`, `Tf`, `Ts`), the text and line matrices (`BT`, `Td`, `TD`,
//! `Tm`, `T*`), and the text-showing operators (`Tj`, `TJ`, `'`, `"`). Form XObjects run
//! recursively under their `/Matrix` with a depth limit and a set of forms in progress (a form
//! that draws itself is skipped); image XObjects and inline images are counted, so a page of
//! images without text can be reported as a scan. Every glyph is placed in a frame rotated so
//! that its baseline runs left to right ([`Glyph::dir`] says which of the four rotations).

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::filters::decode_stream;
use super::font::Font;
use super::lexer::{Lexer, Operand};
use super::object::{self, resolve};
use crate::error::{Error, Result};
use crate::limits::{Deadline, Limits};

/// An affine matrix `[a b c d e f]` (PDF row-vector convention).
pub type Matrix = [f32; 6];

pub const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m1 × m2`: apply `m1` first, then `m2`.
pub fn mul(m1: &Matrix, m2: &Matrix) -> Matrix {
    [
        m1[0] * m2[0] + m1[1] * m2[2],
        m1[0] * m2[1] + m1[1] * m2[3],
        m1[2] * m2[0] + m1[3] * m2[2],
        m1[2] * m2[1] + m1[3] * m2[3],
        m1[4] * m2[0] + m1[5] * m2[2] + m2[4],
        m1[4] * m2[1] + m1[5] * m2[3] + m2[5],
    ]
}

pub fn apply(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
}

/// Rotate a point into the frame of direction `dir` (quarter turns clockwise undone).
pub fn to_frame(dir: u8, x: f32, y: f32) -> (f32, f32) {
    match dir & 3 {
        0 => (x, y),
        1 => (y, -x),
        2 => (-x, -y),
        _ => (-y, x),
    }
}

/// The inverse of [`to_frame`].
pub fn from_frame(dir: u8, x: f32, y: f32) -> (f32, f32) {
    match dir & 3 {
        0 => (x, y),
        1 => (-y, x),
        2 => (-x, -y),
        _ => (y, -x),
    }
}

/// One shown glyph, in the frame of its direction.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Glyph {
    /// Start and end of the advance along the baseline.
    pub x0: f32,
    pub x1: f32,
    /// The baseline.
    pub y: f32,
    /// Font size in user space (the glyphs' vertical extent).
    pub size: f32,
    /// Quarter turns of the baseline: 0 left to right, 1 upwards, 2 upside down, 3 downwards.
    pub dir: u8,
    /// The glyph's text: a byte range of [`PageContent::text`]. Empty for a space.
    pub start: u32,
    pub end: u32,
    /// The glyph is white space: a word break.
    pub space: bool,
    /// Which font drew it (an index of fonts met on the page).
    pub font: u32,
}

/// What a page's content streams show.
#[derive(Debug, Default)]
pub struct PageContent {
    pub glyphs: Vec<Glyph>,
    pub text: String,
    pub images: usize,
    /// The image XObjects drawn (by reference, at most [`MAX_PLACED_IMAGES`]), each with the
    /// matrix that maps its unit square onto the page: what OCR reads a scan from.
    pub placed_images: Vec<PlacedImage>,
    /// Problems that lost part of the page (a stream that could not be decoded, …).
    pub warnings: Vec<String>,
    /// Names of the fonts, indexed by [`Glyph::font`].
    pub font_names: Vec<String>,
    /// Horizontal and vertical lines the page draws: table borders, rules, edges of filled boxes.
    pub rulings: Vec<Ruling>,
}

/// Most image placements kept for one page.
pub const MAX_PLACED_IMAGES: usize = 256;

/// An image XObject drawn on a page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlacedImage {
    pub id: ObjectId,
    /// The current transformation matrix when it was drawn: the image's unit square (row 0 at
    /// the top, `y` = 1) in user space.
    pub ctm: Matrix,
}

/// An axis-aligned line drawn on the page, in user space: a stroked segment, a thin filled
/// rectangle (Word draws borders so), or an edge of a filled box (cell shading).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ruling {
    /// A horizontal line at `y = at` from `x = from` to `x = to`; else vertical at `x = at`.
    pub horizontal: bool,
    pub at: f32,
    pub from: f32,
    pub to: f32,
}

/// Most rulings kept for one page; a page drawing more (a chart, a map) is not a table page.
pub const MAX_RULINGS: usize = 20_000;
/// Most points kept in one path under construction.
const MAX_PATH_POINTS: usize = 100_000;
/// A filled rectangle thinner than this (in user space units) is a line.
const THIN: f32 = 3.0;
/// Segments shorter than this are not rulings (dots, ticks, curves flattened to bits).
const MIN_RULING: f32 = 2.0;

/// The path under construction: points in user space, cut into subpaths (start index, and
/// whether it was closed). Kept between paths so that its buffers are reused.
#[derive(Default)]
struct Path {
    points: Vec<(f32, f32)>,
    subpaths: Vec<(usize, bool)>,
}

impl Path {
    fn move_to(&mut self, p: (f32, f32)) {
        if self.points.len() >= MAX_PATH_POINTS {
            return;
        }
        self.subpaths.push((self.points.len(), false));
        self.points.push(p);
    }

    fn line_to(&mut self, p: (f32, f32)) {
        if self.points.len() >= MAX_PATH_POINTS {
            return;
        }
        if self.subpaths.is_empty() {
            self.subpaths.push((self.points.len(), false));
        }
        self.points.push(p);
    }

    fn close(&mut self) {
        if let Some(&(start, _)) = self.subpaths.last() {
            if let Some(last) = self.subpaths.last_mut() {
                last.1 = true;
            }
            // A new subpath starts at the closed one's first point.
            let first = self.points[start];
            self.move_to(first);
        }
    }

    fn clear(&mut self) {
        self.points.clear();
        self.subpaths.clear();
    }

    /// Each subpath's points and whether it was closed.
    fn subpaths(&self) -> impl Iterator<Item = (&[(f32, f32)], bool)> + '_ {
        self.subpaths
            .iter()
            .enumerate()
            .map(|(k, &(start, closed))| {
                let end = self.subpaths.get(k + 1).map_or(self.points.len(), |n| n.0);
                (&self.points[start..end], closed)
            })
    }
}

/// The axis-aligned segment from `a` to `b`, if it is one and long enough.
fn ruling(a: (f32, f32), b: (f32, f32)) -> Option<Ruling> {
    let (dx, dy) = ((b.0 - a.0).abs(), (b.1 - a.1).abs());
    if !(a.0.is_finite() && a.1.is_finite() && b.0.is_finite() && b.1.is_finite()) {
        return None;
    }
    if dy <= 0.5 && dx >= MIN_RULING {
        Some(Ruling {
            horizontal: true,
            at: (a.1 + b.1) / 2.0,
            from: a.0.min(b.0),
            to: a.0.max(b.0),
        })
    } else if dx <= 0.5 && dy >= MIN_RULING {
        Some(Ruling {
            horizontal: false,
            at: (a.0 + b.0) / 2.0,
            from: a.1.min(b.1),
            to: a.1.max(b.1),
        })
    } else {
        None
    }
}

/// The rulings a painted path gives. Strokes give their axis-aligned segments; fills give,
/// for each subpath made only of axis-aligned edges, its box as a line when thin, or the
/// box's four edges. `page_area` keeps page-sized backgrounds out.
fn path_rulings(path: &Path, stroke: bool, fill: bool, page_area: f32, out: &mut Vec<Ruling>) {
    for (pts, closed) in path.subpaths() {
        if out.len() >= MAX_RULINGS {
            return;
        }
        if stroke {
            let closing = if closed {
                pts.last().copied().zip(pts.first().copied())
            } else {
                None
            };
            for (a, b) in pts.windows(2).map(|w| (w[0], w[1])).chain(closing) {
                out.extend(ruling(a, b));
            }
        }
        if !fill || stroke || pts.len() < 3 {
            continue;
        }
        let axis = pts
            .windows(2)
            .map(|w| (w[0], w[1]))
            .chain(std::iter::once((pts[pts.len() - 1], pts[0])))
            .all(|(a, b)| (a.0 - b.0).abs() <= 0.5 || (a.1 - b.1).abs() <= 0.5);
        if !axis {
            continue;
        }
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for &(x, y) in pts {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        let (w, h) = (x1 - x0, y1 - y0);
        if !(w.is_finite() && h.is_finite()) || w * h > 0.5 * page_area {
            continue;
        }
        if h <= THIN && w > h {
            out.extend(ruling((x0, (y0 + y1) / 2.0), (x1, (y0 + y1) / 2.0)));
        } else if w <= THIN && h > w {
            out.extend(ruling(((x0 + x1) / 2.0, y0), ((x0 + x1) / 2.0, y1)));
        } else if w > THIN && h > THIN {
            out.extend(ruling((x0, y0), (x1, y0)));
            out.extend(ruling((x0, y1), (x1, y1)));
            out.extend(ruling((x0, y0), (x0, y1)));
            out.extend(ruling((x1, y0), (x1, y1)));
        }
    }
    out.truncate(MAX_RULINGS);
}

/// Fonts and decoded forms shared by all pages of one document.
#[derive(Default)]
pub struct Caches {
    fonts: HashMap<usize, (Rc<Font>, u32)>,
    forms: HashMap<ObjectId, Rc<Vec<u8>>>,
    form_bytes: usize,
    default_font: Option<Rc<Font>>,
    font_names: Vec<String>,
}

/// Most decoded form bytes kept for reuse across pages.
const FORM_CACHE_BYTES: usize = 64 << 20;
/// Deepest `q` nesting kept; deeper saves are counted so that `Q` still pairs up.
const MAX_SAVED_STATES: usize = 1024;

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<(Rc<Font>, u32)>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    hscale: f32,
    leading: f32,
    rise: f32,
}

impl GState {
    fn new(ctm: Matrix) -> GState {
        GState {
            ctm,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            hscale: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

pub struct Interpreter<'d, 'l> {
    doc: &'d Document,
    limits: &'l Limits,
    deadline: &'l Deadline,
    caches: &'l mut Caches,
    page: PageContent,
    ops: usize,
    /// Forms being run, outermost first: a form met again here is a cycle.
    form_stack: Vec<ObjectId>,
    /// Glyphs whose origin falls outside this box (the crop box, with a margin) are dropped.
    clip: [f32; 4],
    /// Characters of text kept so far in the document.
    doc_chars: usize,
}

fn form_matrix(doc: &Document, dict: &Dictionary) -> Matrix {
    let mut mat = IDENTITY;
    if let Ok(Object::Array(m)) = dict.get(b"Matrix").map(|o| resolve(doc, o)) {
        if m.len() == 6 {
            for (slot, o) in mat.iter_mut().zip(m.iter()) {
                match resolve(doc, o) {
                    Object::Integer(i) => *slot = *i as f32,
                    Object::Real(r) if r.is_finite() => *slot = *r,
                    _ => {}
                }
            }
        }
    }
    mat
}

fn sub_dict<'a>(
    doc: &'a Document,
    dict: Option<&'a Dictionary>,
    key: &[u8],
) -> Option<&'a Dictionary> {
    match resolve(doc, dict?.get(key).ok()?) {
        Object::Dictionary(d) => Some(d),
        _ => None,
    }
}

impl<'d, 'l> Interpreter<'d, 'l> {
    pub fn new(
        doc: &'d Document,
        limits: &'l Limits,
        deadline: &'l Deadline,
        caches: &'l mut Caches,
        crop_box: [f32; 4],
        doc_chars: usize,
    ) -> Interpreter<'d, 'l> {
        let margin = 2.0;
        Interpreter {
            doc,
            limits,
            deadline,
            caches,
            page: PageContent::default(),
            ops: 0,
            form_stack: Vec::new(),
            clip: [
                crop_box[0] - margin,
                crop_box[1] - margin,
                crop_box[2] + margin,
                crop_box[3] + margin,
            ],
            doc_chars,
        }
    }

    /// Run a page's content (its streams already joined) and return what it shows.
    pub fn run_page(
        mut self,
        content: &[u8],
        page: &'d Dictionary,
        resources: Option<&'d Dictionary>,
    ) -> Result<PageContent> {
        let mut gs = GState::new(IDENTITY);
        self.run(content, resources, &mut gs, 0)?;
        self.run_annotations(page, resources)?;
        self.page.font_names = self.caches.font_names.clone();
        Ok(self.page)
    }

    fn font_for(&mut self, resources: Option<&'d Dictionary>, name: &[u8]) -> (Rc<Font>, u32) {
        let doc = self.doc;
        let dict = sub_dict(doc, resources, b"Font").and_then(|fonts| {
            match resolve(doc, fonts.get(name).ok()?) {
                Object::Dictionary(d) => Some(d),
                _ => None,
            }
        });
        match dict {
            Some(d) => {
                let key = d as *const Dictionary as usize;
                if let Some(f) = self.caches.fonts.get(&key) {
                    return f.clone();
                }
                let font = Rc::new(Font::load(doc, d, self.limits.max_stream_bytes));
                if let Some(why) = &font.damage {
                    let name = String::from_utf8_lossy(name);
                    self.page.warnings.push(format!("font /{name}: {why}"));
                }
                let id = self.caches.font_names.len() as u32;
                self.caches.font_names.push(font.name.clone());
                self.caches.fonts.insert(key, (font.clone(), id));
                (font, id)
            }
            None => {
                let font = self
                    .caches
                    .default_font
                    .get_or_insert_with(|| {
                        let mut d = Dictionary::new();
                        d.set("Subtype", Object::Name(b"Type1".to_vec()));
                        d.set("BaseFont", Object::Name(b"Helvetica".to_vec()));
                        d.set("Encoding", Object::Name(b"WinAnsiEncoding".to_vec()));
                        Rc::new(Font::load(doc, &d, 0))
                    })
                    .clone();
                (font, u32::MAX)
            }
        }
    }

    fn count_op(&mut self) -> Result<()> {
        self.ops += 1;
        if self.ops > self.limits.max_ops_per_page {
            return Err(Error::limit(
                "max_ops_per_page",
                format!(
                    "more than {} operators on one page",
                    self.limits.max_ops_per_page
                ),
            ));
        }
        if self.ops.is_multiple_of(4096) {
            self.deadline.check()?;
        }
        Ok(())
    }

    fn run(
        &mut self,
        content: &[u8],
        resources: Option<&'d Dictionary>,
        gs: &mut GState,
        depth: usize,
    ) -> Result<()> {
        let mut lx = Lexer::new(content);
        let mut stack: Vec<GState> = Vec::new();
        let mut lost_saves = 0usize;
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        let mut path = Path::default();
        let page_area = (self.clip[2] - self.clip[0]) * (self.clip[3] - self.clip[1]);
        while let Some(op) = lx.next_op() {
            self.count_op()?;
            match op {
                b"m" => {
                    if let Some([x, y]) = lx.last_nums::<2>() {
                        path.move_to(apply(&gs.ctm, x, y));
                    }
                }
                b"l" => {
                    if let Some([x, y]) = lx.last_nums::<2>() {
                        path.line_to(apply(&gs.ctm, x, y));
                    }
                }
                // Curves end where they end; their shape is no ruling.
                b"c" | b"v" | b"y" => {
                    if let Some([x, y]) = lx.last_nums::<2>() {
                        let end = apply(&gs.ctm, x, y);
                        path.move_to(end);
                    }
                }
                b"h" => path.close(),
                b"re" => {
                    if let Some([x, y, w, h]) = lx.last_nums::<4>() {
                        path.move_to(apply(&gs.ctm, x, y));
                        path.line_to(apply(&gs.ctm, x + w, y));
                        path.line_to(apply(&gs.ctm, x + w, y + h));
                        path.line_to(apply(&gs.ctm, x, y + h));
                        path.close();
                    }
                }
                b"S" | b"s" | b"f" | b"F" | b"f*" | b"B" | b"B*" | b"b" | b"b*" | b"n" => {
                    if matches!(op, b"s" | b"b" | b"b*") {
                        path.close();
                    }
                    let stroke = matches!(op, b"S" | b"s" | b"B" | b"B*" | b"b" | b"b*");
                    let fill = !matches!(op, b"S" | b"s" | b"n");
                    if (stroke || fill) && self.page.rulings.len() < MAX_RULINGS {
                        path_rulings(&path, stroke, fill, page_area, &mut self.page.rulings);
                    }
                    path.clear();
                }
                b"q" => {
                    if stack.len() < MAX_SAVED_STATES {
                        stack.push(gs.clone());
                    } else {
                        lost_saves += 1;
                    }
                }
                b"Q" => {
                    if lost_saves > 0 {
                        lost_saves -= 1;
                    } else if let Some(saved) = stack.pop() {
                        *gs = saved;
                    }
                }
                b"cm" => {
                    if let Some(m) = lx.last_nums::<6>() {
                        gs.ctm = mul(&m, &gs.ctm);
                    }
                }
                b"BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                b"Tf" => {
                    if let Some([size]) = lx.last_nums::<1>() {
                        gs.size = size;
                    }
                    let name = lx.last_name().map(<[u8]>::to_vec).unwrap_or_default();
                    gs.font = Some(self.font_for(resources, &name));
                }
                b"Tc" => gs.char_spacing = lx.last_nums::<1>().map_or(0.0, |[v]| v),
                b"Tw" => gs.word_spacing = lx.last_nums::<1>().map_or(0.0, |[v]| v),
                b"Tz" => gs.hscale = lx.last_nums::<1>().map_or(100.0, |[v]| v) / 100.0,
                b"TL" => gs.leading = lx.last_nums::<1>().map_or(0.0, |[v]| v),
                b"Ts" => gs.rise = lx.last_nums::<1>().map_or(0.0, |[v]| v),
                b"Td" | b"TD" => {
                    if let Some([tx, ty]) = lx.last_nums::<2>() {
                        if op == b"TD" {
                            gs.leading = -ty;
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], &tlm);
                        tm = tlm;
                    }
                }
                b"Tm" => {
                    if let Some(m) = lx.last_nums::<6>() {
                        tlm = m;
                        tm = m;
                    }
                }
                b"T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                    tm = tlm;
                }
                b"Tj" | b"'" | b"\"" => {
                    if op != b"Tj" {
                        if op == b"\"" {
                            if let (Some(aw), Some(ac)) = (lx.num(0), lx.num(1)) {
                                gs.word_spacing = aw;
                                gs.char_spacing = ac;
                            }
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                        tm = tlm;
                    }
                    if let Some(s) = lx.last_str() {
                        let s = s.to_vec();
                        self.show(gs, &mut tm, &s)?;
                    }
                }
                b"TJ" => {
                    let mut items: Vec<Result<Vec<u8>, f32>> = Vec::new();
                    for o in &lx.operands {
                        match o {
                            Operand::Str(r) => items.push(Ok(lx.bytes(r).to_vec())),
                            Operand::Num(n) => items.push(Err(*n)),
                            _ => {}
                        }
                    }
                    for item in items {
                        match item {
                            Ok(s) => self.show(gs, &mut tm, &s)?,
                            Err(n) => {
                                let tx = -n / 1000.0 * gs.size * gs.hscale;
                                if tx.is_finite() {
                                    tm[4] += tx * tm[0];
                                    tm[5] += tx * tm[1];
                                }
                            }
                        }
                    }
                }
                b"Do" => {
                    if let Some(name) = lx.last_name().map(<[u8]>::to_vec) {
                        self.do_xobject(resources, &name, gs, depth)?;
                    }
                }
                b"BI" => self.page.images += 1,
                _ => {}
            }
        }
        Ok(())
    }

    fn do_xobject(
        &mut self,
        resources: Option<&'d Dictionary>,
        name: &[u8],
        gs: &GState,
        depth: usize,
    ) -> Result<()> {
        let doc = self.doc;
        let Some(xobjects) = sub_dict(doc, resources, b"XObject") else {
            return Ok(());
        };
        let Ok(entry) = xobjects.get(name) else {
            return Ok(());
        };
        let id = match entry {
            Object::Reference(id) => Some(*id),
            _ => None,
        };
        let Object::Stream(stream) = resolve(doc, entry) else {
            return Ok(());
        };
        let subtype = match stream.dict.get(b"Subtype").map(|o| resolve(doc, o)) {
            Ok(Object::Name(n)) => n.as_slice(),
            _ => b"",
        };
        match subtype {
            b"Image" => {
                self.page.images += 1;
                if let Some(id) = id {
                    if self.page.placed_images.len() < MAX_PLACED_IMAGES {
                        self.page
                            .placed_images
                            .push(PlacedImage { id, ctm: gs.ctm });
                    }
                }
                Ok(())
            }
            b"Form" => {
                if depth + 1 > self.limits.max_form_depth {
                    self.page.warnings.push(format!(
                        "form XObjects nested deeper than {} (limit max_form_depth): skipped",
                        self.limits.max_form_depth
                    ));
                    return Ok(());
                }
                if let Some(id) = id {
                    if self.form_stack.contains(&id) {
                        self.page.warnings.push(format!(
                            "form XObject {} {} draws itself: skipped",
                            id.0, id.1
                        ));
                        return Ok(());
                    }
                }
                self.run_form(stream, id, gs.clone(), None, resources, depth + 1)
            }
            _ => Ok(()),
        }
    }

    /// Run a form XObject's content under `gs`, with `/Matrix` applied (or `matrix_override`).
    fn run_form(
        &mut self,
        stream: &'d lopdf::Stream,
        id: Option<ObjectId>,
        mut inner: GState,
        matrix_override: Option<Matrix>,
        resources: Option<&'d Dictionary>,
        depth: usize,
    ) -> Result<()> {
        let doc = self.doc;
        let content = match id.and_then(|id| self.caches.forms.get(&id).cloned()) {
            Some(c) => c,
            None => match decode_stream(doc, stream, self.limits.max_stream_bytes) {
                Ok(data) => {
                    let data = Rc::new(data);
                    if let Some(id) = id {
                        if self.caches.form_bytes + data.len() <= FORM_CACHE_BYTES {
                            self.caches.form_bytes += data.len();
                            self.caches.forms.insert(id, data.clone());
                        }
                    }
                    data
                }
                Err(e) => {
                    self.page
                        .warnings
                        .push(format!("form XObject could not be decoded: {e}"));
                    return Ok(());
                }
            },
        };
        let mat = matrix_override.unwrap_or_else(|| form_matrix(doc, &stream.dict));
        inner.ctm = mul(&mat, &inner.ctm);
        let form_resources = match stream.dict.get(b"Resources").map(|o| resolve(doc, o)) {
            Ok(Object::Dictionary(d)) => Some(d),
            _ => resources,
        };
        if let Some(id) = id {
            self.form_stack.push(id);
        }
        let result = self.run(&content, form_resources, &mut inner, depth);
        if id.is_some() {
            self.form_stack.pop();
        }
        result
    }

    /// Run the normal appearance streams of the page's visible annotations (form fields,
    /// free text): viewers print them, and so does pdftotext.
    pub fn run_annotations(
        &mut self,
        page: &'d Dictionary,
        resources: Option<&'d Dictionary>,
    ) -> Result<()> {
        let doc = self.doc;
        let Ok(annots) = page.get(b"Annots").map(|o| resolve(doc, o)) else {
            return Ok(());
        };
        let Object::Array(annots) = annots else {
            return Ok(());
        };
        for annot in annots.iter().take(10_000) {
            let Object::Dictionary(a) = resolve(doc, annot) else {
                continue;
            };
            let subtype = match a.get(b"Subtype").map(|o| resolve(doc, o)) {
                Ok(Object::Name(n)) => n.as_slice(),
                _ => b"",
            };
            if matches!(subtype, b"Popup" | b"Link") {
                continue;
            }
            let flags = match a.get(b"F").map(|o| resolve(doc, o)) {
                Ok(Object::Integer(i)) => *i,
                _ => 0,
            };
            if flags & (2 | 32) != 0 {
                continue;
            }
            let normal = match a.get(b"AP").map(|o| resolve(doc, o)) {
                Ok(Object::Dictionary(ap)) => ap.get(b"N").ok(),
                _ => None,
            };
            let Some(normal) = normal else {
                // A form field without an appearance (the file asks viewers to build one):
                // its value is what a viewer would print.
                if subtype == b"Widget" {
                    self.field_value(a)?;
                }
                continue;
            };
            // The appearance: a stream, or a dictionary of states chosen by /AS.
            let (entry, stream) = match resolve(doc, normal) {
                Object::Stream(st) => (normal, st),
                Object::Dictionary(states) => {
                    let state = match a.get(b"AS").map(|o| resolve(doc, o)) {
                        Ok(Object::Name(n)) => n.as_slice(),
                        _ => continue,
                    };
                    let Ok(e) = states.get(state) else {
                        continue;
                    };
                    match resolve(doc, e) {
                        Object::Stream(st) => (e, st),
                        _ => continue,
                    }
                }
                _ => continue,
            };
            let id = match entry {
                Object::Reference(id) => Some(*id),
                _ => None,
            };
            let Some(rect) = object::rect(doc, a.get(b"Rect").ok()) else {
                continue;
            };
            let bbox =
                object::rect(doc, stream.dict.get(b"BBox").ok()).unwrap_or([0.0, 0.0, 1.0, 1.0]);
            let m = form_matrix(doc, &stream.dict);
            // Map the transformed bounding box onto the annotation's rectangle.
            let corners = [
                apply(&m, bbox[0], bbox[1]),
                apply(&m, bbox[2], bbox[1]),
                apply(&m, bbox[0], bbox[3]),
                apply(&m, bbox[2], bbox[3]),
            ];
            let tx0 = corners.iter().map(|c| c.0).fold(f32::MAX, f32::min);
            let tx1 = corners.iter().map(|c| c.0).fold(f32::MIN, f32::max);
            let ty0 = corners.iter().map(|c| c.1).fold(f32::MAX, f32::min);
            let ty1 = corners.iter().map(|c| c.1).fold(f32::MIN, f32::max);
            let sx = if tx1 - tx0 > 1e-6 {
                (rect[2] - rect[0]) / (tx1 - tx0)
            } else {
                1.0
            };
            let sy = if ty1 - ty0 > 1e-6 {
                (rect[3] - rect[1]) / (ty1 - ty0)
            } else {
                1.0
            };
            let fit = [sx, 0.0, 0.0, sy, rect[0] - tx0 * sx, rect[1] - ty0 * sy];
            let mat = mul(&m, &fit);
            if !mat.iter().all(|v| v.is_finite()) {
                continue;
            }
            self.run_form(stream, id, GState::new(IDENTITY), Some(mat), resources, 1)?;
        }
        Ok(())
    }

    /// Show a text field's value (`/V`) in its rectangle, as a viewer would.
    fn field_value(&mut self, field: &'d Dictionary) -> Result<()> {
        let doc = self.doc;
        // /FT, /V and /DA may be inherited from parent fields.
        let mut node = Some(field);
        let mut kind: Option<&[u8]> = None;
        let mut value: Option<&[u8]> = None;
        let mut da: Option<&[u8]> = None;
        for _ in 0..16 {
            let Some(n) = node else {
                break;
            };
            if kind.is_none() {
                if let Ok(Object::Name(k)) = n.get(b"FT").map(|o| resolve(doc, o)) {
                    kind = Some(k);
                }
            }
            if value.is_none() {
                if let Ok(Object::String(v, _)) = n.get(b"V").map(|o| resolve(doc, o)) {
                    value = Some(v);
                }
            }
            if da.is_none() {
                if let Ok(Object::String(v, _)) = n.get(b"DA").map(|o| resolve(doc, o)) {
                    da = Some(v);
                }
            }
            node = match n.get(b"Parent").map(|o| resolve(doc, o)) {
                Ok(Object::Dictionary(p)) => Some(p),
                _ => None,
            };
        }
        let (Some(b"Tx" | b"Ch"), Some(value)) = (kind, value) else {
            return Ok(());
        };
        let Some(rect) = object::rect(doc, field.get(b"Rect").ok()) else {
            return Ok(());
        };
        let text = super::metadata::text_string(value);
        // A field's value is text on the page like shown text, and counts against the same
        // limits: an /Annots array can name one field thousands of times.
        self.count_op()?;
        self.doc_chars += text.len();
        if self.doc_chars > self.limits.max_text_chars {
            return Err(Error::limit(
                "max_text_chars",
                format!(
                    "more than {} characters of text (form field values)",
                    self.limits.max_text_chars
                ),
            ));
        }
        let mut size = 12.0;
        if let Some(da) = da {
            let mut lx = Lexer::new(da);
            while let Some(op) = lx.next_op() {
                if op == b"Tf" {
                    if let Some([s]) = lx.last_nums::<1>() {
                        if s > 0.0 {
                            size = s;
                        }
                    }
                }
            }
        }
        let height = rect[3] - rect[1];
        let baseline = rect[1] + ((height - size) / 2.0).max(0.0) + 0.22 * size;
        let mut x = rect[0] + 2.0;
        for line in text.lines().take(1000) {
            for c in line.chars() {
                let start = self.page.text.len();
                let space = c.is_whitespace();
                if !space {
                    self.page.text.push(c);
                }
                let w = 0.55 * size;
                self.page.glyphs.push(Glyph {
                    x0: x,
                    x1: x + w,
                    y: baseline,
                    size,
                    dir: 0,
                    start: start as u32,
                    end: self.page.text.len() as u32,
                    space,
                    font: u32::MAX,
                });
                x += w;
            }
            x = rect[0] + 2.0;
        }
        Ok(())
    }

    fn show(&mut self, gs: &GState, tm: &mut Matrix, bytes: &[u8]) -> Result<()> {
        let (font, font_id) = match &gs.font {
            Some(f) => f.clone(),
            None => self.font_for(None, b""),
        };
        let fs = gs.size;
        let th = gs.hscale;
        let mut m = mul(tm, &gs.ctm);
        let size = (fs * (m[2] * m[2] + m[3] * m[3]).sqrt() * font.size_scale).abs();
        // The baseline's direction decides the frame.
        let dir = {
            let (a, b) = (m[0] * fs.signum(), m[1] * fs.signum());
            if a.abs() >= b.abs() {
                if a >= 0.0 {
                    0
                } else {
                    2
                }
            } else if b > 0.0 {
                1
            } else {
                3
            }
        };
        let single = font.single_byte();
        let mut i = 0;
        while i < bytes.len() {
            let (code, n) = font.next_code(&bytes[i..]);
            i += n.max(1);
            let w0 = font.width(code);
            let mut tx = w0 * fs + gs.char_spacing;
            if single && code == 32 {
                tx += gs.word_spacing;
            }
            tx *= th;
            if !tx.is_finite() {
                tx = 0.0;
            }
            let (ox, oy) = apply(&m, 0.0, gs.rise);
            let (ex, ey) = apply(&m, tx, gs.rise);
            let inside = ox >= self.clip[0]
                && ox <= self.clip[2]
                && oy >= self.clip[1]
                && oy <= self.clip[3];
            if inside && ox.is_finite() && oy.is_finite() {
                let start = self.page.text.len();
                font.text(code, &mut self.page.text);
                let added = &self.page.text[start..];
                let space = !added.is_empty() && added.chars().all(char::is_whitespace);
                if space {
                    self.page.text.truncate(start);
                }
                let (fx0, fy) = to_frame(dir, ox, oy);
                let (fx1, _) = to_frame(dir, ex, ey);
                let chars = self.page.text.len() - start;
                self.doc_chars += chars;
                if self.doc_chars > self.limits.max_text_chars {
                    return Err(Error::too_much_text(self.limits.max_text_chars));
                }
                if chars > 0 || space {
                    self.page.glyphs.push(Glyph {
                        x0: fx0,
                        x1: fx1.max(fx0),
                        y: fy,
                        size,
                        dir,
                        start: start as u32,
                        end: self.page.text.len() as u32,
                        space,
                        font: font_id,
                    });
                }
            }
            tm[4] += tx * tm[0];
            tm[5] += tx * tm[1];
            m[4] += tx * m[0];
            m[5] += tx * m[1];
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_product_order() {
        let translate = [1.0, 0.0, 0.0, 1.0, 10.0, 20.0];
        let scale = [2.0, 0.0, 0.0, 2.0, 0.0, 0.0];
        // Translate first, then scale.
        assert_eq!(apply(&mul(&translate, &scale), 1.0, 1.0), (22.0, 42.0));
    }

    #[test]
    fn frames_round_trip() {
        for dir in 0..4 {
            let (x, y) = to_frame(dir, 3.0, 7.0);
            assert_eq!(from_frame(dir, x, y), (3.0, 7.0));
        }
        // Text running upwards reads left to right in its frame.
        let (a, _) = to_frame(1, 0.0, 0.0);
        let (b, _) = to_frame(1, 0.0, 10.0);
        assert!(b > a);
    }
}
