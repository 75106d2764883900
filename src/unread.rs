//! What was not read, and why: the accounting that makes every file under a batch root show up
//! somewhere.
//!
//! A file under a batch root is either read (it has a document record) or it is one of these:
//!
//! * **failed**: a PDF or DOCX (or a zip) that could not be read; the reason says why;
//! * **unsupported**: a format tenderscope does not read (`.odt`, `.xlsx`, `.doc`, images …);
//!   the reason names the extension and what the first bytes say the file is;
//! * **skipped** by one of the [`SkipRule`]s: hidden files and folders, Office lock files,
//!   folder metadata, the batch's own `manifest.csv`, symbolic links.
//!
//! A page of a read PDF without a text layer (a scan) that OCR did not read is listed too, as
//! `no_text_layer`, with why OCR did not read it.
//! Failed and unsupported files were submitted and not read: `ingest` exits 1 when there are
//! any, and so does a file none of whose pages has a text layer.

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// Why a file (or a page) was not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Failed,
    Unsupported,
    Skipped,
    NoTextLayer,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Failed => "failed",
            Status::Unsupported => "unsupported",
            Status::Skipped => "skipped",
            Status::NoTextLayer => "no_text_layer",
        }
    }

    /// As a person reads it.
    pub fn label(self) -> &'static str {
        match self {
            Status::Failed => "failed",
            Status::Unsupported => "unsupported format",
            Status::Skipped => "skipped by rule",
            Status::NoTextLayer => "no text layer",
        }
    }
}

/// The documented rules that leave a file out of a batch on purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SkipRule {
    /// A name starting with `.` (`.DS_Store`, `.git/`): not part of a submission.
    Hidden,
    /// `~$name.docx`: the lock file Word and Excel leave beside an open document.
    OfficeLock,
    /// `Thumbs.db`, `desktop.ini`, `__MACOSX/`: folder metadata written by an operating system.
    FolderMetadata,
    /// `manifest.csv` at the batch root: read as the batch's manifest, not as a submission.
    Manifest,
    /// Symbolic links are not followed: a batch must not reach outside itself.
    Symlink,
}

impl SkipRule {
    pub fn reason(self) -> &'static str {
        match self {
            SkipRule::Hidden => "hidden file (name starts with `.`)",
            SkipRule::OfficeLock => "Office lock file (name starts with `~$`)",
            SkipRule::FolderMetadata => "folder metadata written by the operating system",
            SkipRule::Manifest => "the batch manifest (read for supplier names)",
            SkipRule::Symlink => "symbolic link (not followed)",
        }
    }

    /// The rule that skips a file or folder of this name, if any (not `Manifest` or `Symlink`,
    /// which depend on where the entry is and what it is).
    pub fn for_name(name: &str) -> Option<SkipRule> {
        let lower = name.to_ascii_lowercase();
        if name.starts_with("~$") {
            Some(SkipRule::OfficeLock)
        } else if name.starts_with('.') {
            Some(SkipRule::Hidden)
        } else if matches!(lower.as_str(), "thumbs.db" | "desktop.ini" | "__macosx") {
            Some(SkipRule::FolderMetadata)
        } else {
            None
        }
    }
}

/// One file (or page) under a batch root that was not read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unread {
    pub tender: String,
    pub supplier: String,
    /// The path, or `ZIP!member`, as for read files.
    pub origin: String,
    pub status: Status,
    pub reason: String,
    /// For `no_text_layer`: the page (from 1); `None` when no page of the file has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

impl Unread {
    /// A submitted file that could not be read (the run exits 1): failed, unsupported, or
    /// without a text layer on any page (`page` is then `None`).
    pub fn is_loss(&self) -> bool {
        match self.status {
            Status::Failed | Status::Unsupported => true,
            Status::NoTextLayer => self.page.is_none(),
            Status::Skipped => false,
        }
    }
}

/// The reason for a file of a format we do not read: its extension, and what its first bytes
/// say it is when that differs from what the name suggests.
pub fn unsupported_reason(name: &str, head: &[u8]) -> String {
    let ext = match name.rfind('.') {
        Some(i) if i > 0 => name[i..].to_ascii_lowercase(),
        _ => String::new(),
    };
    let shown = if ext.is_empty() {
        "no extension".to_string()
    } else {
        ext.clone()
    };
    let kind = match ext.as_str() {
        ".doc" => "legacy Word document",
        ".odt" => "OpenDocument text",
        ".ods" => "OpenDocument spreadsheet",
        ".odp" => "OpenDocument presentation",
        ".rtf" => "Rich Text Format",
        ".xls" | ".xlsx" | ".xlsm" | ".csv" => "spreadsheet",
        ".ppt" | ".pptx" => "presentation",
        ".txt" | ".md" => "plain text",
        ".gif" | ".bmp" | ".heic" | ".webp" => "image",
        ".msg" | ".eml" => "e-mail",
        ".pages" => "Apple Pages document",
        _ => "",
    };
    let bytes = if head.starts_with(b"{\\rtf") {
        Some("Rich Text Format")
    } else if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some("OLE compound file (legacy Office)")
    } else if head.windows(5).any(|w| w == b"%PDF-") {
        Some("a PDF: rename it .pdf to have it read")
    } else if head.starts_with(b"PK\x03\x04")
        && !matches!(
            ext.as_str(),
            ".odt" | ".ods" | ".odp" | ".xlsx" | ".xlsm" | ".pptx" | ".pages"
        )
    {
        Some("zip package")
    } else {
        None
    };
    let mut out = format!("format {shown}");
    if !kind.is_empty() {
        out.push_str(&format!(" ({kind})"));
    }
    if let Some(b) = bytes {
        if b != kind {
            out.push_str(&format!("; the content is {b}"));
        }
    }
    out.push_str(
        ": tenderscope reads PDF, DOCX, XLSX, XLSM, ODT, ODS, RTF and DOC, and JPEG, PNG and TIFF \
         images by OCR",
    );
    out
}

/// The first bytes of a file, for [`unsupported_reason`] (empty if it cannot be read).
pub fn head_of(path: &Path) -> Vec<u8> {
    let mut buf = Vec::with_capacity(1024);
    if let Ok(f) = std::fs::File::open(path) {
        let _ = f.take(1024).read_to_end(&mut buf);
    }
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skip_rules_by_name() {
        assert_eq!(
            SkipRule::for_name("~$plan.docx"),
            Some(SkipRule::OfficeLock)
        );
        assert_eq!(SkipRule::for_name(".DS_Store"), Some(SkipRule::Hidden));
        assert_eq!(
            SkipRule::for_name("Thumbs.db"),
            Some(SkipRule::FolderMetadata)
        );
        assert_eq!(
            SkipRule::for_name("__MACOSX"),
            Some(SkipRule::FolderMetadata)
        );
        assert_eq!(SkipRule::for_name("plan.docx"), None);
    }

    #[test]
    fn unsupported_reasons_name_the_format_and_the_content() {
        assert_eq!(
            unsupported_reason("a.odp", b"PK\x03\x04"),
            "format .odp (OpenDocument presentation): tenderscope reads PDF, DOCX, XLSX, XLSM, \
             ODT, ODS, RTF and DOC, and JPEG, PNG and TIFF images by OCR"
        );
        assert!(unsupported_reason("x.txt", b"{\\rtf1").contains("the content is Rich Text Format"));
        assert!(unsupported_reason("x.xls", &[0xD0, 0xCF, 0x11, 0xE0])
            .contains("(spreadsheet); the content is OLE compound file"));
        assert!(unsupported_reason("scan.pdf.bak", b"%PDF-1.4").contains("rename it .pdf"));
        assert!(unsupported_reason("README", b"hello").starts_with("format no extension:"));
    }
}
