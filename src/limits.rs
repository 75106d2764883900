//! Named limits for reading untrusted files.
//!
//! Every file a supplier sends is untrusted. Each limit below bounds one resource; a file that
//! passes a limit fails with [`crate::Error::Limit`] naming it, and the rest of the batch goes on.
//! The defaults are generous for real tender documents (hundreds of pages, tens of megabytes)
//! and small enough that a hostile file cannot take the process down.

use std::time::{Duration, Instant};

use crate::error::{Error, Result};

#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest input file, in bytes.
    pub max_file_bytes: u64,
    /// Largest inflated size of one zip entry (DOCX part), in bytes.
    pub max_entry_bytes: u64,
    /// Largest inflated size of all zip entries read from one file, in bytes.
    pub max_total_inflated_bytes: u64,
    /// Deepest XML element nesting accepted.
    pub max_xml_depth: usize,
    /// Most indirect objects in one PDF.
    pub max_pdf_objects: usize,
    /// Largest decompressed PDF stream, in bytes.
    pub max_stream_bytes: usize,
    /// Most content-stream operators interpreted on one page (Form XObjects included).
    pub max_ops_per_page: usize,
    /// Deepest nesting of Form XObjects (and of `q` save states).
    pub max_form_depth: usize,
    /// Most pages read from one PDF.
    pub max_pages: usize,
    /// Most characters of text kept from one file.
    pub max_text_chars: usize,
    /// Most non-empty cells read from one spreadsheet (XLSX, ODS), all sheets together.
    pub max_cells: usize,
    /// Most sheets read from one spreadsheet.
    pub max_sheets: usize,
    /// Entries in one zip package (XLSX, ODT): its central directory is read whole.
    pub max_zip_entries: usize,
    /// Deepest nesting of RTF groups (`{...}`).
    pub max_rtf_depth: usize,
    /// Most pixels (width × height, as declared) of one page image handed to OCR.
    pub max_image_pixels: u64,
    /// Largest decoded page image handed to OCR, in bytes (raw samples, or the JPEG as stored).
    pub max_image_bytes: usize,
    /// Most images of one page handed to OCR (the largest first).
    pub max_ocr_images_per_page: usize,
    /// Wall-clock time one OCR process may take for one page image; it is killed past it. A
    /// page is also never given more than what is left of [`Limits::time_budget`].
    pub ocr_page_budget: Duration,
    /// Most bytes of output read from one OCR process.
    pub max_ocr_output_bytes: usize,
    /// Wall-clock time allowed for one file.
    pub time_budget: Duration,
    /// Address space of one extraction worker process (see `extract::isolate`), in bytes.
    pub max_worker_memory: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 256 << 20,
            max_entry_bytes: 256 << 20,
            max_total_inflated_bytes: 512 << 20,
            max_xml_depth: 256,
            max_pdf_objects: 2_000_000,
            max_stream_bytes: 64 << 20,
            max_ops_per_page: 2_000_000,
            max_form_depth: 12,
            max_pages: 20_000,
            max_text_chars: 64 << 20,
            max_cells: 5_000_000,
            max_sheets: 1_000,
            max_zip_entries: 100_000,
            max_rtf_depth: 256,
            max_image_pixels: 64_000_000,
            max_image_bytes: 128 << 20,
            max_ocr_images_per_page: 8,
            ocr_page_budget: Duration::from_secs(30),
            max_ocr_output_bytes: 16 << 20,
            time_budget: Duration::from_secs(60),
            max_worker_memory: 3 << 30,
        }
    }
}

/// A deadline for one file's extraction, checked cooperatively by the readers' loops.
#[derive(Clone, Copy, Debug)]
pub struct Deadline {
    at: Instant,
    budget: Duration,
}

impl Deadline {
    pub fn after(budget: Duration) -> Deadline {
        Deadline {
            at: Instant::now() + budget,
            budget,
        }
    }

    /// The time left before the deadline (zero once it has passed).
    pub fn remaining(&self) -> Duration {
        self.at.saturating_duration_since(Instant::now())
    }

    /// The whole budget this deadline was set with.
    pub fn budget(&self) -> Duration {
        self.budget
    }

    /// `Err(Timeout)` once the budget is spent.
    pub fn check(&self) -> Result<()> {
        if Instant::now() >= self.at {
            Err(Error::Timeout {
                seconds: self.budget.as_secs(),
            })
        } else {
            Ok(())
        }
    }
}
