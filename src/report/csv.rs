//! The CSV report: one row per finding (a passage that evidences at least one principle), for
//! spreadsheets, in the [`View`]'s order. The figures a passage states for each total category are in their own
//! columns; totals themselves count commitments only, so filter on `kind` to add them up.
//!
//! A cell that a spreadsheet would read as a formula (it starts with `=`, `+`, `-`, `@`, a tab
//! or a carriage return) gets a leading `'`: supplier text must not run as a formula.

use super::model::{Category, Report};
use super::view::{figure_totals, View};
use super::ReportError;

const HEADER: [&str; 22] = [
    "tender",
    "supplier",
    "principles",
    "main_principle",
    "kind",
    "specificity",
    "apprenticeships",
    "jobs",
    "hours",
    "local_spend",
    "carbon",
    "measures",
    "themes",
    "duplicate_group",
    "file",
    "page",
    "passage_id",
    "sha256",
    "section",
    "text",
    "origin",
    "ocr_confidence",
];

/// Neutralise a cell that a spreadsheet would evaluate.
fn cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

pub fn render(report: &Report) -> Result<Vec<u8>, ReportError> {
    render_view(&View::new(report))
}

pub fn render_view(v: &View) -> Result<Vec<u8>, ReportError> {
    let err = |e: csv::Error| ReportError::Render {
        format: "csv",
        detail: e.to_string(),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).map_err(err)?;
    for f in v.findings() {
        let figures = |cat: Category| figure_totals(f, cat).join("; ");
        let measures: Vec<String> = f
            .measures
            .iter()
            .map(|m| format!("{}: {}", m.kind, m.text))
            .collect();
        let row = [
            cell(&f.tender),
            cell(&f.supplier),
            f.principles.join(" "),
            f.principles.first().cloned().unwrap_or_default(),
            f.kind.as_str().to_string(),
            f.score.to_string(),
            figures(Category::Apprenticeships),
            figures(Category::Jobs),
            figures(Category::Hours),
            figures(Category::LocalSpend),
            figures(Category::Carbon),
            cell(&measures.join("; ")),
            f.themes.join(" "),
            f.duplicate_group.map(|g| g.to_string()).unwrap_or_default(),
            cell(&f.file),
            f.page.to_string(),
            cell(&f.id),
            cell(&f.sha256),
            cell(&f.section),
            cell(&f.text),
            cell(&f.origin),
            f.ocr.map(|c| format!("{c:.1}")).unwrap_or_default(),
        ];
        w.write_record(&row).map_err(err)?;
    }
    w.into_inner().map_err(|e| ReportError::Render {
        format: "csv",
        detail: e.to_string(),
    })
}
