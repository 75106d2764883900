//! Compares the structure tenderscope extracts from a PDF with the structure it extracts from
//! the DOCX the PDF was exported from: the DOCX is the ground truth. Used by
//! `examples/structure_compare.rs` and `tests/pdf_structure.rs` (both include this file with
//! `#[path]`; it is not part of `support/mod.rs`), on the pairs in `fixtures/structure/`.
//!
//! Four measures, each "DOCX items found in the PDF / DOCX items":
//!
//! * **Table cells.** The DOCX's tables and the PDF's are paired in order (the k-th table of one
//!   with the k-th of the other, by table number). A DOCX cell is right when the paired PDF
//!   table has a cell with the same text in the same row and column. Columns are grid columns,
//!   as the DOCX reader counts them (a cell after one spanning two columns is two columns on).
//!   Rows are counted among the rows that have any text, on both sides. A PDF row that repeats
//!   one of the DOCX table's first two rows (its header) after an identical row earlier in the
//!   same PDF table is a header repeated on a new page and is left out before rows are counted:
//!   a PDF reader may emit repeated header rows or drop them. A table broken over pages must
//!   still be one table, as it is in the DOCX.
//! * **List items.** Each DOCX list-item passage must have a PDF list-item passage with the
//!   same text and the same lead-in ("We will:").
//! * **Headings.** Each DOCX heading must be a PDF heading block with the same text, and no PDF
//!   paragraph or list item may start with the heading's text (a heading glued to its text),
//!   unless the DOCX has that same passage. Heading levels are not compared.
//! * **Passages.** The share of DOCX passages (paragraphs, list items, table rows) whose text is
//!   also the text of a PDF passage. (The misses listed leave out list items: a list item whose
//!   passage is missed is already a list-item miss.)
//!
//! Texts are compared with white space collapsed (PDF lines wrap where DOCX paragraphs do not);
//! nothing else is normalised. Each PDF item is matched at most once.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use tenderscope::document::{BlockKind, Document};
use tenderscope::extract::extract_file;
use tenderscope::passage::{segment, Passage, PassageKind};
use tenderscope::Limits;

/// Items found / items expected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Score {
    pub matched: usize,
    pub total: usize,
}

impl Score {
    fn add(&mut self, hit: bool) {
        self.total += 1;
        if hit {
            self.matched += 1;
        }
    }

    pub fn merge(&mut self, other: Score) {
        self.matched += other.matched;
        self.total += other.total;
    }

    /// The share found, 1.0 when nothing was expected.
    pub fn ratio(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.matched as f64 / self.total as f64
        }
    }

    /// `12/20 60.0%`, or `-` when nothing was expected.
    pub fn cell(&self) -> String {
        if self.total == 0 {
            "-".to_string()
        } else {
            format!(
                "{}/{} {:.1}%",
                self.matched,
                self.total,
                100.0 * self.ratio()
            )
        }
    }
}

/// Which measure a miss belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    Cell,
    ListItem,
    Heading,
    Passage,
}

impl Measure {
    pub fn name(self) -> &'static str {
        match self {
            Measure::Cell => "cell",
            Measure::ListItem => "list item",
            Measure::Heading => "heading",
            Measure::Passage => "passage",
        }
    }
}

/// A DOCX item not found in the PDF, with what the PDF has nearest to it.
#[derive(Clone, Debug)]
pub struct Miss {
    pub measure: Measure,
    pub docx: String,
    pub pdf: String,
}

/// The comparison of one DOCX/PDF pair.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub name: String,
    pub cells: Score,
    pub list_items: Score,
    pub headings: Score,
    pub passages: Score,
    pub misses: Vec<Miss>,
    /// Set when either file could not be extracted; the scores are then empty.
    pub error: Option<String>,
}

/// The totals of several reports.
pub fn totals(reports: &[Report]) -> Report {
    let mut t = Report {
        name: "total".to_string(),
        ..Report::default()
    };
    for r in reports {
        t.cells.merge(r.cells);
        t.list_items.merge(r.list_items);
        t.headings.merge(r.headings);
        t.passages.merge(r.passages);
        t.misses.extend(r.misses.iter().cloned());
    }
    t
}

/// Text with every run of white space made one space.
pub fn norm(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `(name, docx, pdf)` of every `NAME.docx` in `dir` that has a `NAME.pdf` beside it, by name.
pub fn pairs(dir: &Path) -> std::io::Result<Vec<(String, PathBuf, PathBuf)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("docx") {
            continue;
        }
        let pdf = path.with_extension("pdf");
        if !pdf.is_file() {
            continue;
        }
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        out.push((name, path, pdf));
    }
    out.sort();
    Ok(out)
}

/// Extracts both files of a pair and compares them. An extraction error is reported in
/// [`Report::error`], not returned: the comparison measures, it does not stop.
pub fn compare_files(name: &str, docx: &Path, pdf: &Path) -> Report {
    let limits = Limits::default();
    let read =
        |path: &Path| extract_file(path, &limits).map_err(|e| format!("{}: {e}", path.display()));
    match (read(docx), read(pdf)) {
        (Ok(d), Ok(p)) => compare(name, &d, &p),
        (Err(e), _) | (_, Err(e)) => Report {
            name: name.to_string(),
            error: Some(e),
            ..Report::default()
        },
    }
}

/// Compares every pair in `dir`.
pub fn compare_dir(dir: &Path) -> std::io::Result<Vec<Report>> {
    Ok(pairs(dir)?
        .iter()
        .map(|(name, docx, pdf)| compare_files(name, docx, pdf))
        .collect())
}

/// Compares a PDF's extraction with its DOCX's.
pub fn compare(name: &str, docx: &Document, pdf: &Document) -> Report {
    let mut report = Report {
        name: name.to_string(),
        ..Report::default()
    };
    let dp = segment(docx);
    let pp = segment(pdf);
    compare_cells(docx, pdf, &pp, &mut report);
    compare_list_items(&dp, &pp, &mut report);
    compare_headings(docx, pdf, &dp, &pp, &mut report);
    compare_passages(&dp, &pp, &mut report);
    report
}

// --- Tables ---------------------------------------------------------------------------------

/// One table: its rows in order, each the `col -> text` of its non-empty cells.
type Rows = Vec<BTreeMap<u32, String>>;

/// The tables of a document in table-number order, each with its rows in row order (rows
/// without text left out).
fn tables(doc: &Document) -> Vec<Rows> {
    let mut by_table: BTreeMap<u32, BTreeMap<u32, BTreeMap<u32, String>>> = BTreeMap::new();
    for b in &doc.blocks {
        if let BlockKind::TableCell { table, row, col } = b.kind {
            let text = norm(&b.text);
            if text.is_empty() {
                continue;
            }
            let cell = by_table
                .entry(table)
                .or_default()
                .entry(row)
                .or_default()
                .entry(col)
                .or_default();
            // Two blocks for one cell (text around a nested table) read as one.
            if !cell.is_empty() {
                cell.push(' ');
            }
            cell.push_str(&text);
        }
    }
    by_table
        .into_values()
        .map(|rows| rows.into_values().collect())
        .collect()
}

/// Drops the rows of a PDF table that repeat the DOCX header (one of `header`) after an
/// identical row earlier in the table.
fn drop_repeated_headers(rows: Rows, header: &[&BTreeMap<u32, String>]) -> Rows {
    let mut kept: Rows = Vec::with_capacity(rows.len());
    for row in rows {
        let repeat = header.contains(&&row) && kept.contains(&row);
        if !repeat {
            kept.push(row);
        }
    }
    kept
}

fn compare_cells(docx: &Document, pdf: &Document, pp: &[Passage], report: &mut Report) {
    let d_tables = tables(docx);
    let p_tables = tables(pdf);
    // Where each PDF cell text is, for the miss report.
    let mut pdf_at: HashMap<String, Vec<String>> = HashMap::new();
    for b in &pdf.blocks {
        if let BlockKind::TableCell { table, row, col } = b.kind {
            pdf_at
                .entry(norm(&b.text))
                .or_default()
                .push(format!("table {table} row {row} col {col}"));
        }
    }
    let empty = Vec::new();
    for (t, d_rows) in d_tables.iter().enumerate() {
        let header: Vec<&BTreeMap<u32, String>> = d_rows.iter().take(2).collect();
        let p_rows = p_tables
            .get(t)
            .map(|rows| drop_repeated_headers(rows.clone(), &header))
            .unwrap_or_default();
        for (r, row) in d_rows.iter().enumerate() {
            for (col, text) in row {
                let got = p_rows.get(r).and_then(|pr| pr.get(col));
                let hit = got == Some(text);
                report.cells.add(hit);
                if !hit {
                    let elsewhere = pdf_at.get(text).unwrap_or(&empty);
                    let pdf = match (got, elsewhere.is_empty()) {
                        (_, false) => format!("same text at PDF {}", elsewhere.join(", ")),
                        (Some(other), true) => format!("cell there holds {other:?}"),
                        (None, true) => {
                            format!("no table cell has this text; nearest {}", nearest(text, pp))
                        }
                    };
                    report.misses.push(Miss {
                        measure: Measure::Cell,
                        docx: format!("table {t} row {r} col {col}: {text:?}"),
                        pdf,
                    });
                }
            }
        }
    }
}

// --- List items, headings, passages ---------------------------------------------------------

fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Word overlap of two texts (Dice coefficient over word sets), 0..=1.
fn similarity(a: &str, b: &str) -> f64 {
    let a: std::collections::HashSet<String> = words(a).into_iter().collect();
    let b: std::collections::HashSet<String> = words(b).into_iter().collect();
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * a.intersection(&b).count() as f64 / (a.len() + b.len()) as f64
}

fn kind_name(kind: PassageKind) -> &'static str {
    match kind {
        PassageKind::Paragraph => "paragraph",
        PassageKind::ListItem => "list item",
        PassageKind::TableRow => "table row",
        PassageKind::Note => "note",
    }
}

fn describe(p: &Passage) -> String {
    let mut s = format!("{} {:?}", kind_name(p.kind), p.text);
    if let Some(lead) = &p.lead_in {
        let _ = write!(s, " (lead-in {lead:?})");
    }
    s
}

/// The PDF passage most like `text`, described.
fn nearest(text: &str, pdf: &[Passage]) -> String {
    pdf.iter()
        .map(|p| (similarity(text, &p.text), p))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(s, _)| *s > 0.0)
        .map_or_else(|| "nothing like it".to_string(), |(_, p)| describe(p))
}

/// Marks the first unused item for which `hit` holds; whether there was one.
fn take<T>(items: &[T], used: &mut [bool], hit: impl Fn(&T) -> bool) -> bool {
    for (i, item) in items.iter().enumerate() {
        if !used[i] && hit(item) {
            used[i] = true;
            return true;
        }
    }
    false
}

fn compare_list_items(dp: &[Passage], pp: &[Passage], report: &mut Report) {
    let pdf_items: Vec<&Passage> = pp
        .iter()
        .filter(|p| p.kind == PassageKind::ListItem)
        .collect();
    let mut used = vec![false; pdf_items.len()];
    for d in dp.iter().filter(|p| p.kind == PassageKind::ListItem) {
        let lead = d.lead_in.as_deref().map(norm);
        let hit = take(&pdf_items, &mut used, |p| {
            norm(&p.text) == norm(&d.text) && p.lead_in.as_deref().map(norm) == lead
        });
        report.list_items.add(hit);
        if !hit {
            report.misses.push(Miss {
                measure: Measure::ListItem,
                docx: describe(d),
                pdf: nearest(&d.text, pp),
            });
        }
    }
}

fn compare_headings(
    docx: &Document,
    pdf: &Document,
    dp: &[Passage],
    pp: &[Passage],
    report: &mut Report,
) {
    let heading_texts = |doc: &Document| -> Vec<String> {
        doc.blocks
            .iter()
            .filter(|b| matches!(b.kind, BlockKind::Heading { .. }))
            .map(|b| b.flat_text())
            .collect()
    };
    let pdf_headings = heading_texts(pdf);
    let mut used = vec![false; pdf_headings.len()];
    let docx_passages: Vec<String> = dp.iter().map(|p| norm(&p.text)).collect();
    for heading in heading_texts(docx) {
        let found = take(&pdf_headings, &mut used, |h| *h == heading);
        let prefix = format!("{heading} ");
        let glued = pp.iter().find(|p| {
            matches!(p.kind, PassageKind::Paragraph | PassageKind::ListItem)
                && norm(&p.text).starts_with(&prefix)
                && !docx_passages.contains(&norm(&p.text))
        });
        let hit = found && glued.is_none();
        report.headings.add(hit);
        if !hit {
            let pdf_text = match glued {
                Some(p) => format!("glued: {}", describe(p)),
                None => {
                    // Not a heading: what the PDF made of it, heading blocks included.
                    let best_heading = pdf_headings
                        .iter()
                        .map(|h| (similarity(&heading, h), h))
                        .max_by(|a, b| a.0.total_cmp(&b.0))
                        .filter(|(s, _)| *s >= 0.5);
                    match best_heading {
                        Some((_, h)) => format!("heading {h:?}"),
                        None => nearest(&heading, pp),
                    }
                }
            };
            report.misses.push(Miss {
                measure: Measure::Heading,
                docx: format!("heading {heading:?}"),
                pdf: pdf_text,
            });
        }
    }
}

fn compare_passages(dp: &[Passage], pp: &[Passage], report: &mut Report) {
    let pdf_texts: Vec<String> = pp.iter().map(|p| norm(&p.text)).collect();
    let mut used = vec![false; pdf_texts.len()];
    for d in dp {
        let text = norm(&d.text);
        let hit = take(&pdf_texts, &mut used, |p| *p == text);
        report.passages.add(hit);
        // A list item's passage missed is a list item missed: reported once, there.
        if !hit && d.kind != PassageKind::ListItem {
            report.misses.push(Miss {
                measure: Measure::Passage,
                docx: describe(d),
                pdf: nearest(&d.text, pp),
            });
        }
    }
}

// --- Output ---------------------------------------------------------------------------------

/// The per-file table with a totals line.
pub fn render_table(reports: &[Report]) -> String {
    let width = reports
        .iter()
        .map(|r| r.name.len())
        .max()
        .unwrap_or(4)
        .max(5);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<width$}  {:>18}  {:>18}  {:>18}  {:>18}",
        "file", "table cells", "list items", "headings", "passages"
    );
    let line = |out: &mut String, r: &Report| {
        if let Some(e) = &r.error {
            let _ = writeln!(out, "{:<width$}  error: {e}", r.name);
        } else {
            let _ = writeln!(
                out,
                "{:<width$}  {:>18}  {:>18}  {:>18}  {:>18}",
                r.name,
                r.cells.cell(),
                r.list_items.cell(),
                r.headings.cell(),
                r.passages.cell()
            );
        }
    };
    for r in reports {
        line(&mut out, r);
    }
    line(&mut out, &totals(reports));
    out
}

/// Each miss of each report, grouped by file.
pub fn render_misses(reports: &[Report]) -> String {
    let mut out = String::new();
    for r in reports.iter().filter(|r| !r.misses.is_empty()) {
        let _ = writeln!(out, "\n== {} ({} misses)", r.name, r.misses.len());
        for m in &r.misses {
            let _ = writeln!(
                out,
                "- {}: DOCX {}\n    PDF  {}",
                m.measure.name(),
                m.docx,
                m.pdf
            );
        }
    }
    out
}

fn score_json(s: Score) -> serde_json::Value {
    serde_json::json!({ "matched": s.matched, "total": s.total, "ratio": s.ratio() })
}

fn report_json(r: &Report) -> serde_json::Value {
    serde_json::json!({
        "file": r.name,
        "error": r.error,
        "table_cells": score_json(r.cells),
        "list_items": score_json(r.list_items),
        "headings": score_json(r.headings),
        "passages": score_json(r.passages),
        "misses": r.misses.len(),
    })
}

/// `{"files": [...], "totals": {...}}`.
pub fn render_json(reports: &[Report]) -> serde_json::Value {
    serde_json::json!({
        "files": reports.iter().map(report_json).collect::<Vec<_>>(),
        "totals": report_json(&totals(reports)),
    })
}
