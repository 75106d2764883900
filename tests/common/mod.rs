//! Shared helpers for the demo-batch tests: the plain text a fixture source should extract to,
//! and word-level precision and recall between two texts.
//!
//! The sources in `fixtures/demo-src` are the ground truth for the files in `fixtures/demo`
//! (see `fixtures/README.md` for the format). This module reads a source independently of the
//! generator (`examples/make_fixtures.rs`): it strips the markup and keeps every word that
//! prints, running header and footer included. It is also compiled into
//! `examples/check_fixtures.rs`, which measures it against `pdftotext` and the raw DOCX XML.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

/// What a source turns into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Docx,
    Pdf,
}

impl Target {
    pub fn extension(self) -> &'static str {
        match self {
            Target::Docx => "docx",
            Target::Pdf => "pdf",
        }
    }
}

/// A fixture source split into its parts.
#[derive(Clone, Debug)]
pub struct Source {
    pub header: Option<String>,
    pub footer: Option<String>,
    pub target: Target,
    /// The body with its markup stripped: one printed line (heading, paragraph, list item,
    /// table cell) per line.
    pub body: String,
}

/// Read a source: front lines up to the first blank line, then the body.
pub fn parse_source(text: &str) -> Source {
    let mut header = None;
    let mut footer = None;
    let mut target = Target::Docx;
    let mut lines = text.lines();
    for line in lines.by_ref() {
        if line.trim().is_empty() {
            break;
        }
        let (key, value) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("front line without `key:`: {line:?}"));
        let value = value.trim().to_string();
        match key.trim() {
            "header" => header = Some(value),
            "footer" => footer = Some(value),
            "format" => {
                target = match value.as_str() {
                    "pdf" => Target::Pdf,
                    "docx" => Target::Docx,
                    other => panic!("unknown format {other:?}"),
                }
            }
            _ => {}
        }
    }
    let mut body = String::new();
    for line in lines {
        let line = line.trim();
        if line.is_empty() || line == "---" {
            continue;
        }
        if line.starts_with('|') {
            let inner = line.trim_start_matches('|');
            let inner = inner.strip_suffix('|').unwrap_or(inner);
            let cells: Vec<&str> = inner.split('|').map(str::trim).collect();
            // The rule under a table's header row prints nothing.
            if cells
                .iter()
                .all(|c| !c.is_empty() && c.chars().all(|ch| "-: ".contains(ch)))
            {
                continue;
            }
            for cell in cells {
                body.push_str(&strip_inline(cell));
                body.push('\n');
            }
            continue;
        }
        let text = strip_heading(line)
            .or_else(|| line.strip_prefix("- "))
            .or_else(|| strip_number(line))
            .unwrap_or(line);
        body.push_str(&strip_inline(text));
        body.push('\n');
    }
    Source {
        header,
        footer,
        target,
        body,
    }
}

fn strip_heading(line: &str) -> Option<&str> {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    if !(1..=3).contains(&hashes) {
        return None;
    }
    line.get(hashes..)?.strip_prefix(' ')
}

fn strip_number(line: &str) -> Option<&str> {
    let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&digits) {
        return None;
    }
    line.get(digits..)?.strip_prefix(". ")
}

/// Remove `**` and `*` emphasis marks.
fn strip_inline(text: &str) -> String {
    text.replace('*', "")
}

/// A running header or footer line as it prints on page `page` of `pages`.
pub fn running_line(template: &str, page: u32, pages: u32) -> String {
    template
        .replace("{PAGES}", &pages.to_string())
        .replace("{PAGE}", &page.to_string())
}

/// The text a file made from `source` prints, when it has `pages` pages.
///
/// A PDF repeats its running header and footer on every page with that page's number; a DOCX
/// holds them once, and its page-number fields hold the value Word caches in the file (`1`),
/// so pass `pages = 1` for a DOCX. The body comes first and the running lines after it: the
/// order matters to no one, since the words are compared as a multiset.
pub fn expected_text(source: &Source, pages: u32) -> String {
    let mut out = source.body.clone();
    for page in 1..=pages.max(1) {
        for line in [&source.header, &source.footer].into_iter().flatten() {
            out.push_str(&running_line(line, page, pages.max(1)));
            out.push('\n');
        }
    }
    out
}

/// Is this token a list bullet or a list number (`•`, `–`, `1.`, `a)`, `(ii)`)? List markers
/// are generated by the word processor, not written in the text, so both sides drop them.
pub fn is_list_marker(token: &str) -> bool {
    const BULLETS: &str = "•◦▪▫‣⁃●○■□–—-·*►▸➢✓✔";
    if token
        .chars()
        .all(|c| BULLETS.contains(c) || ('\u{E000}'..='\u{F8FF}').contains(&c))
    {
        return true;
    }
    let inner = token.strip_prefix('(').unwrap_or(token);
    let Some(inner) = inner.strip_suffix('.').or_else(|| inner.strip_suffix(')')) else {
        return false;
    };
    let digits = !inner.is_empty() && inner.len() <= 2 && inner.bytes().all(|b| b.is_ascii_digit());
    let letter = inner.len() == 1 && inner.bytes().all(|b| b.is_ascii_lowercase());
    let roman = !inner.is_empty() && inner.len() <= 4 && inner.bytes().all(|b| b"ivx".contains(&b));
    digits || letter || roman
}

/// The words of a text: NFKC, split on whitespace, punctuation left attached, case kept,
/// list markers dropped.
pub fn words(text: &str) -> Vec<String> {
    let normal: String = text.nfkc().collect();
    normal
        .split_whitespace()
        .filter(|w| !is_list_marker(w))
        .map(str::to_string)
        .collect()
}

/// Word-level agreement of an extraction with what was expected, as multisets of words.
#[derive(Clone, Copy, Debug)]
pub struct Score {
    pub expected: usize,
    pub got: usize,
    pub common: usize,
}

impl Score {
    pub fn recall(&self) -> f64 {
        ratio(self.common, self.expected)
    }
    pub fn precision(&self) -> f64 {
        ratio(self.common, self.got)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        if a == 0 {
            1.0
        } else {
            0.0
        }
    } else {
        a as f64 / b as f64
    }
}

pub fn score(expected: &str, got: &str) -> Score {
    let e = words(expected);
    let g = words(got);
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for w in &e {
        *counts.entry(w.as_str()).or_default() += 1;
    }
    let mut common = 0;
    for w in &g {
        if let Some(n) = counts.get_mut(w.as_str()) {
            if *n > 0 {
                *n -= 1;
                common += 1;
            }
        }
    }
    Score {
        expected: e.len(),
        got: g.len(),
        common,
    }
}

/// Up to `limit` words of the first text that the second lacks (counting repeats), to show
/// in a failure message.
pub fn missing_words(from: &str, against: &str, limit: usize) -> Vec<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for w in words(against) {
        *counts.entry(w).or_default() += 1;
    }
    let mut out = Vec::new();
    for w in words(from) {
        match counts.get_mut(&w) {
            Some(n) if *n > 0 => *n -= 1,
            _ => {
                if out.len() < limit {
                    out.push(w);
                }
            }
        }
    }
    out
}

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `(supplier, stem, path)` of every file directly inside each supplier folder of `dir`, sorted.
pub fn supplier_files(dir: &Path) -> Vec<(String, String, PathBuf)> {
    let mut out = Vec::new();
    let mut suppliers: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_dir())
        .collect();
    suppliers.sort();
    for supplier in suppliers {
        let name = supplier
            .file_name()
            .and_then(|s| s.to_str())
            .expect("UTF-8 folder name")
            .to_string();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&supplier)
            .unwrap_or_else(|e| panic!("listing {}: {e}", supplier.display()))
            .map(|e| e.expect("directory entry").path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for file in files {
            let stem = file
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("UTF-8 file name")
                .to_string();
            out.push((name.clone(), stem, file));
        }
    }
    out
}
