//! The JSON report: the [`Report`] structure itself, pretty-printed, for other tools.

use super::model::Report;
use super::ReportError;

pub fn render(report: &Report) -> Result<Vec<u8>, ReportError> {
    let mut out = serde_json::to_vec_pretty(report).map_err(|e| ReportError::Render {
        format: "json",
        detail: e.to_string(),
    })?;
    out.push(b'\n');
    Ok(out)
}
