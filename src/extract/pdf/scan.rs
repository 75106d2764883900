//! Pages without a text layer, read by OCR from the images they draw.
//!
//! The largest images of the page (at most [`Limits::max_ocr_images_per_page`], each at least
//! [`images::MIN_OCR_SIDE`] pixels on a side) are made image files by [`images`] and read by
//! [`ocr::recognise`] in the order the page draws them. Each paragraph Tesseract finds becomes a
//! paragraph block marked with its confidence ([`Block::ocr`]) and placed on the page through
//! the matrix the image was drawn with. The page's [`PageOcr`] says what came of it: read, with
//! the mean word confidence, or the reason it was not.

use lopdf::Document as PdfDocument;

use super::content::{apply, PlacedImage};
use super::images;
use crate::document::{Block, BlockKind, PageOcr};
use crate::extract::ocr;
use crate::limits::{Deadline, Limits};

/// Time kept back from the file's budget for what follows OCR (writing the document out).
const RESERVE: std::time::Duration = std::time::Duration::from_secs(1);

/// What OCR gave for one page.
pub struct ScannedPage {
    pub blocks: Vec<Block>,
    pub outcome: PageOcr,
    /// Images that could not be read while others were: one line each.
    pub warnings: Vec<String>,
}

/// Read one page without a text layer from the images it draws.
pub fn read_page(
    doc: &PdfDocument,
    page: u32,
    placed: &[PlacedImage],
    limits: &Limits,
    deadline: &Deadline,
    chars_left: usize,
) -> ScannedPage {
    let failed = |reason: String| ScannedPage {
        blocks: Vec::new(),
        outcome: PageOcr::Failed { reason },
        warnings: Vec::new(),
    };
    // Each image once, with its size, in drawing order.
    let mut sized: Vec<(usize, PlacedImage, (u32, u32))> = Vec::new();
    for (order, p) in placed.iter().enumerate() {
        if sized.iter().any(|(_, q, _)| q.id == p.id && q.ctm == p.ctm) {
            continue;
        }
        if let Some(size) = images::declared_size(doc, p.id) {
            sized.push((order, *p, size));
        }
    }
    let largest = sized
        .iter()
        .map(|(_, _, s)| *s)
        .max_by_key(|(w, h)| u64::from(*w) * u64::from(*h));
    sized.retain(|(_, _, (w, h))| *w >= images::MIN_OCR_SIDE && *h >= images::MIN_OCR_SIDE);
    if sized.is_empty() {
        return failed(match largest {
            Some((w, h)) => {
                format!(
                    "OCR not tried: its images are too small to hold text (the largest is \
                     {w}×{h} pixels)"
                )
            }
            None => "OCR not tried: no image on it that OCR can read".to_string(),
        });
    }
    // Without the OCR program, decoding the page's images would be work for nothing (a third
    // of a batch's extraction time, where it has scans): the page is unread, with the reason
    // the program gives when it is missing.
    if !ocr::available() {
        let reason = ocr::OcrError::NotFound(ocr::program().to_string_lossy().into_owned());
        return ScannedPage {
            blocks: Vec::new(),
            outcome: PageOcr::Unavailable {
                reason: reason.to_string(),
            },
            warnings: Vec::new(),
        };
    }
    sized.sort_by_key(|(_, _, (w, h))| std::cmp::Reverse(u64::from(*w) * u64::from(*h)));
    sized.truncate(limits.max_ocr_images_per_page.max(1));
    sized.sort_by_key(|(order, _, _)| *order);

    let mut blocks = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    let (mut words, mut conf_sum) = (0u32, 0f32);
    let mut chars = 0usize;
    for (n, (_, placed, _)) in sized.iter().enumerate() {
        let left = deadline.remaining().saturating_sub(RESERVE);
        if left < RESERVE {
            errors.push(format!(
                "OCR not tried: the file's time budget of {} s was spent before this page \
                 (limit time_budget)",
                deadline.budget().as_secs()
            ));
            break;
        }
        let file = match images::image_file(doc, placed.id, limits) {
            Ok(f) => f,
            Err(e) => {
                errors.push(format!("OCR could not read image {}: {e}", n + 1));
                continue;
            }
        };
        let text = match ocr::recognise(&file, limits, left.min(limits.ocr_page_budget)) {
            Ok(t) => t,
            Err(e @ (ocr::OcrError::NotFound(_) | ocr::OcrError::DecoderNotFound(_))) => {
                return ScannedPage {
                    blocks: Vec::new(),
                    outcome: PageOcr::Unavailable {
                        reason: e.to_string(),
                    },
                    warnings: Vec::new(),
                }
            }
            Err(e) => {
                errors.push(format!("{e} (image {})", n + 1));
                continue;
            }
        };
        for para in &text.paragraphs {
            let body = para.lines.join("\n");
            chars += body.chars().count();
            if chars > chars_left {
                return failed(format!(
                    "OCR stopped: its text would pass the {} characters kept of one file \
                     (limit max_text_chars)",
                    limits.max_text_chars
                ));
            }
            let mut block = Block::new(BlockKind::Paragraph, page, body);
            block.bbox = Some(page_box(placed, para.bbox, file.width, file.height));
            block.ocr = Some(ocr::round_confidence(para.confidence));
            blocks.push(block);
        }
        words += text.words();
        conf_sum += text.confidence() * text.words() as f32;
    }
    if words == 0 {
        let reason = match errors.first() {
            Some(e) if errors.len() == 1 => e.clone(),
            Some(e) => format!("{e} (and {} more)", errors.len() - 1),
            None => "OCR found no words in its images".to_string(),
        };
        return failed(reason);
    }
    ScannedPage {
        blocks,
        outcome: PageOcr::Read {
            confidence: ocr::round_confidence(conf_sum / words as f32),
            words,
        },
        warnings: errors
            .into_iter()
            .map(|e| format!("OCR read the page, but not all of it: {e}"))
            .collect(),
    }
}

/// A box in pixels of an image (top-left origin) as a box on the page: through the image's
/// unit square (`y` = 1 at its top row) and the matrix it was drawn with.
fn page_box(placed: &PlacedImage, [l, t, r, b]: [u32; 4], w: u32, h: u32) -> [f32; 4] {
    let (w, h) = (w.max(1) as f32, h.max(1) as f32);
    let corners = [
        (l as f32 / w, 1.0 - t as f32 / h),
        (r as f32 / w, 1.0 - t as f32 / h),
        (l as f32 / w, 1.0 - b as f32 / h),
        (r as f32 / w, 1.0 - b as f32 / h),
    ];
    let pts: Vec<(f32, f32)> = corners
        .iter()
        .map(|&(u, v)| apply(&placed.ctm, u, v))
        .collect();
    let min = |f: fn(&(f32, f32)) -> f32| pts.iter().map(f).fold(f32::INFINITY, f32::min);
    let max = |f: fn(&(f32, f32)) -> f32| pts.iter().map(f).fold(f32::NEG_INFINITY, f32::max);
    [min(|p| p.0), min(|p| p.1), max(|p| p.0), max(|p| p.1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixel_boxes_map_onto_the_page_through_the_image_matrix() {
        let placed = PlacedImage {
            id: (1, 0),
            ctm: [500.0, 0.0, 0.0, 700.0, 50.0, 50.0],
        };
        let b = page_box(&placed, [0, 0, 100, 100], 1000, 1000);
        assert_eq!(b, [50.0, 680.0, 100.0, 750.0]);
    }
}
