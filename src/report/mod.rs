//! The evaluator's scorecard: for each supplier and principle, the commitments, aspirations and
//! track-record claims, their specificity, measure totals and best evidence with its citation;
//! the principles each supplier left unanswered; near-duplicate commitments across suppliers.
//!
//! [`gather`] reads the index into a [`Report`] (plain data). A [`view::View`] built from it
//! decides once what every format shows (rows, cell labels, selections, totals with their
//! evidence, sentences), and the renderers only format that view: Markdown, one self-contained
//! HTML file (a maud template), CSV (one row per finding) and DOCX; JSON is the `Report` itself.
//! The same index gives the same bytes in every format: inputs are sorted and nothing depends
//! on the clock.
//!
//! ```no_run
//! use tenderscope::classify::RuleSet;
//! use tenderscope::index::Store;
//! use tenderscope::report::{self, Format, Options};
//!
//! let store = Store::open(std::path::Path::new("tenderscope-index")).unwrap();
//! let reader = store.reader().unwrap();
//! let rules = RuleSet::embedded().unwrap();
//! let report = report::gather(&store, &reader.searcher(), &rules, &Options::default()).unwrap();
//! let html = report::render(&report, Format::Html).unwrap();
//! std::fs::write("scorecard.html", html).unwrap();
//! ```

pub mod csv;
pub mod docx;
pub mod gather;
pub mod html;
pub mod json;
pub mod ledger;
pub mod md;
pub mod model;
pub mod numbers;
pub mod similar;
pub mod totals;
pub mod view;

pub use gather::{gather, Options};
pub use model::*;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Index(#[from] crate::Error),
    #[error("{0}")]
    Framework(String),
    /// The report asked for is larger than one that is made.
    #[error("{0}")]
    TooLarge(String),
    #[error("writing the {format} report: {detail}")]
    Render {
        format: &'static str,
        detail: String,
    },
}

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Md,
    Html,
    Csv,
    Json,
    Docx,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Md,
        Format::Html,
        Format::Csv,
        Format::Json,
        Format::Docx,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Docx => "docx",
        }
    }

    /// Parse a format name (case-insensitive); the error names the choices.
    pub fn parse(s: &str) -> Result<Format, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                let all: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
                format!("unknown format `{s}` (one of {})", all.join(", "))
            })
    }
}

/// Write a report in a format.
pub fn render(report: &Report, format: Format) -> Result<Vec<u8>, ReportError> {
    let v = view::View::new(report);
    match format {
        Format::Md => Ok(md::render_view(&v).into_bytes()),
        Format::Html => Ok(html::render_view(&v, &html::Links::InFile).into_bytes()),
        Format::Csv => csv::render_view(&v),
        Format::Json => json::render_view(&v),
        Format::Docx => docx::render_view(&v),
    }
}

impl Report {
    /// The finding with this key.
    pub fn finding(&self, key: &str) -> Option<&Finding> {
        // Findings are sorted by supplier, not key: a map is built by callers that look up
        // many; this linear search is for the few.
        self.findings.iter().find(|f| f.key == key)
    }

    /// Findings by key, for renderers.
    pub fn finding_map(&self) -> std::collections::HashMap<&str, &Finding> {
        self.findings.iter().map(|f| (f.key.as_str(), f)).collect()
    }

    /// The principle's name.
    pub fn principle_name(&self, id: &str) -> &str {
        self.principles
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.as_str())
            .unwrap_or("")
    }
}
