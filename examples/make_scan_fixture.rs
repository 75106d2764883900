//! Makes the OCR fixture: one page of a demo PDF rasterised (poppler's `pdftoppm`, gray JPEG)
//! and put back into a PDF as its only content, as a scanner would send it.
//!
//! ```text
//! cargo run --example make_scan_fixture -- ORIGINAL.pdf PAGE DPI QUALITY OUT.pdf
//! ```
//!
//! `fixtures/scan/make.sh` runs it with the fixture's settings.

#[path = "scan/image_pdf.rs"]
mod image_pdf;

use std::path::PathBuf;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [original, page, dpi, quality, out] = args.as_slice() else {
        return Err("usage: make_scan_fixture ORIGINAL.pdf PAGE DPI QUALITY OUT.pdf".into());
    };
    let page: u32 = page.parse().map_err(|e| format!("PAGE: {e}"))?;
    let dpi: u32 = dpi.parse().map_err(|e| format!("DPI: {e}"))?;
    let quality: u32 = quality.parse().map_err(|e| format!("QUALITY: {e}"))?;
    let original = PathBuf::from(original);
    let bytes = std::fs::read(&original).map_err(|e| format!("{}: {e}", original.display()))?;
    let (w, h) = image_pdf::page_size(&bytes, page)?;
    let jpeg = image_pdf::rasterise(&original, page, dpi, quality)?;
    let pdf = image_pdf::jpeg_page_pdf(&jpeg, w, h)?;
    std::fs::write(out, &pdf).map_err(|e| format!("{out}: {e}"))?;
    println!(
        "{out}: {} bytes, page {page} of {} at {dpi} dpi, JPEG quality {quality}",
        pdf.len(),
        original.display()
    );
    Ok(())
}
