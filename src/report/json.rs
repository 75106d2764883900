//! The JSON report: the [`Report`] structure itself, pretty-printed, for other tools. The
//! [`View`] is what the other formats show; JSON keeps the plain data behind it, which is the
//! documented contract (it reads back as the same `Report`).

use super::model::Report;
use super::view::View;
use super::ReportError;

pub fn render(report: &Report) -> Result<Vec<u8>, ReportError> {
    let mut out = serde_json::to_vec_pretty(report).map_err(|e| ReportError::Render {
        format: "json",
        detail: e.to_string(),
    })?;
    out.push(b'\n');
    Ok(out)
}

/// The report behind a view.
pub fn render_view(v: &View) -> Result<Vec<u8>, ReportError> {
    render(v.report)
}
