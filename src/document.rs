//! The extracted document: what every extractor produces and every later stage reads.
//!
//! A [`Document`] is a flat list of [`Block`]s in reading order. Each block knows its page
//! (1-based; DOCX has one page), the heading path it sits under, its kind and its text.
//! The plain-text rendering ([`Document::text`]) follows `pdftotext`: pages separated by a
//! form feed.

use serde::{Deserialize, Serialize};

/// The file formats tenderscope reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Docx,
    /// XLSX and XLSM workbooks.
    Xlsx,
    /// OpenDocument text.
    Odt,
    /// OpenDocument spreadsheet.
    Ods,
    /// Rich Text Format.
    Rtf,
    /// Legacy Word 97-2003 binary documents.
    Doc,
    /// Image files: a scanned page sent as a picture, read by OCR.
    Jpeg,
    Png,
    Tiff,
    /// Plain text under a document's name (see `extract::text`).
    Text,
}

impl Format {
    /// Every format, in the order the documentation lists them.
    pub const ALL: [Format; 11] = [
        Format::Pdf,
        Format::Docx,
        Format::Xlsx,
        Format::Odt,
        Format::Ods,
        Format::Rtf,
        Format::Doc,
        Format::Jpeg,
        Format::Png,
        Format::Tiff,
        Format::Text,
    ];

    /// The format named as [`Format::as_str`] names it.
    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// The media type a browser is given for a file of this format.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Odt => "application/vnd.oasis.opendocument.text",
            Format::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            Format::Rtf => "application/rtf",
            Format::Doc => "application/msword",
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Tiff => "image/tiff",
            Format::Text => "text/plain; charset=utf-8",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Odt => "odt",
            Format::Ods => "ods",
            Format::Rtf => "rtf",
            Format::Doc => "doc",
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Tiff => "tiff",
            Format::Text => "text",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Document-level metadata, as far as the file declares it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Creation date as the file states it, normalised to ISO 8601 where it can be parsed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// The program that wrote the file (PDF `/Producer`, DOCX `Application`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub producer: Option<String>,
    /// The program the content was authored in (PDF `/Creator`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creator: Option<String>,
}

/// What a block of text is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BlockKind {
    /// A heading; level 1 is the top.
    Heading {
        level: u8,
    },
    Paragraph,
    /// A list item; level 0 is the outermost list.
    ListItem {
        level: u8,
    },
    /// One cell of a table. `table` counts tables in the document from 0; `row` and `col` from 0.
    TableCell {
        table: u32,
        row: u32,
        col: u32,
    },
    /// Running header (PDF: repeated at the top of pages; DOCX: a header part).
    Header,
    /// Running footer.
    Footer,
    Footnote,
    Endnote,
    /// A reviewer's comment: kept apart from the body text.
    Comment,
}

impl BlockKind {
    /// Blocks that belong to the body as it would print (not notes, comments or running heads).
    pub fn is_body(&self) -> bool {
        matches!(
            self,
            BlockKind::Heading { .. }
                | BlockKind::Paragraph
                | BlockKind::ListItem { .. }
                | BlockKind::TableCell { .. }
        )
    }
}

/// A rectangle in PDF user space of its page: `[x0, y0, x1, y1]`, origin at the bottom left.
pub type BBox = [f32; 4];

/// One unit of text in reading order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    /// 1-based page number. DOCX documents have a single page.
    pub page: u32,
    /// The heading path above this block, outermost first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub section: Vec<String>,
    /// The text. Lines of a PDF paragraph are kept as lines (`\n`); see [`Block::flat_text`].
    pub text: String,
    /// PDF only: where the block sits on its page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<BBox>,
    /// Set when the text was read by OCR from a page image, not from a text layer: the OCR
    /// engine's mean word confidence for this block, from 0 to 100. Such text may be misread.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr: Option<f32>,
}

impl Block {
    pub fn new(kind: BlockKind, page: u32, text: impl Into<String>) -> Block {
        Block {
            kind,
            page,
            section: Vec::new(),
            text: text.into(),
            bbox: None,
            ocr: None,
        }
    }

    /// The text on one line: the lines of a paragraph joined by single spaces.
    pub fn flat_text(&self) -> String {
        self.text.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Per-page facts that are not text: whether the page has a text layer at all, and if not,
/// what OCR made of its images.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageInfo {
    /// 1-based page number.
    pub page: u32,
    /// `true` when the page shows images but carries no text: a scan. Its evidence may be missing.
    pub no_text_layer: bool,
    /// For a page without a text layer: what OCR of its images gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr: Option<PageOcr>,
}

impl PageInfo {
    /// A page without a text layer that OCR did not read: its evidence is missing.
    pub fn is_unread(&self) -> bool {
        self.no_text_layer && !matches!(self.ocr, Some(PageOcr::Read { .. }))
    }
}

/// The reason a page without a text layer is missing from the evidence, with why OCR did not
/// read it when it was tried.
pub fn unread_page_reason(page: u32, ocr: Option<&PageOcr>) -> String {
    let mut out = format!("page {page} has no text layer (a scan?): evidence on it is missing");
    if let Some(reason) = ocr.and_then(PageOcr::failure) {
        out.push_str("; ");
        out.push_str(reason);
    }
    out
}

/// How text read by OCR is labelled wherever it is quoted (`show`, the web page, the
/// scorecard): an auditor must know that the quote may be misread.
pub fn ocr_label(confidence: f32) -> String {
    format!("read by OCR from a scanned page, mean word confidence {confidence:.0}%")
}

/// The reason a file none of whose pages has a text layer was not read at all, with why OCR did
/// not read its first page when it was tried.
pub fn unread_file_reason(pages: u64, first: Option<&PageOcr>) -> String {
    let mut out = format!(
        "none of its {pages} page(s) has a text layer (a scan?): nothing of it could be read"
    );
    if let Some(reason) = first.and_then(PageOcr::failure) {
        out.push_str("; ");
        out.push_str(reason);
    }
    out
}

/// What OCR made of a page without a text layer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum PageOcr {
    /// Read: its blocks carry [`Block::ocr`]; `confidence` is the mean over the page's words
    /// (0 to 100).
    Read { confidence: f32, words: u32 },
    /// Not read, and why, in words that start with "OCR" (timed out, an image it cannot take,
    /// no words found …).
    Failed { reason: String },
    /// Not read because the OCR program is not installed (or not where it was named): a later
    /// run reads the page again once it is.
    Unavailable { reason: String },
}

impl PageOcr {
    /// Why OCR gave no text, when it did not.
    pub fn failure(&self) -> Option<&str> {
        match self {
            PageOcr::Read { .. } => None,
            PageOcr::Failed { reason } | PageOcr::Unavailable { reason } => Some(reason),
        }
    }

    /// The warning a page read by OCR (or not) carries: the words and their confidence, or
    /// why it was not read.
    pub fn summary(&self) -> String {
        match self {
            PageOcr::Read { confidence, words } => format!(
                "read by OCR: {words} words, mean word confidence {confidence:.0}%: check \
                 quotes from it against the page"
            ),
            PageOcr::Failed { reason } | PageOcr::Unavailable { reason } => reason.clone(),
        }
    }
}

/// A non-fatal problem: part of a file could not be read, and the user must know.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Warning {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    pub message: String,
}

/// A whole extracted file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    pub format: Format,
    /// Number of pages (1 for DOCX).
    pub pages: u32,
    pub metadata: Metadata,
    /// `true` when a DOCX holds tracked changes (the text is the document as it would print:
    /// insertions kept, deletions dropped).
    #[serde(default)]
    pub has_revisions: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub page_info: Vec<PageInfo>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
    pub blocks: Vec<Block>,
}

impl Document {
    /// Plain text as `pdftotext` lays it out: each page's blocks in order, one per line group,
    /// pages separated by a form feed (`\x0c`). Comments are left out (they are not part of
    /// the document as it prints); headers, footers and notes are kept where they stand.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let pages = self.pages.max(1);
        for page in 1..=pages {
            for block in self.blocks.iter().filter(|b| b.page == page) {
                if block.kind == BlockKind::Comment {
                    continue;
                }
                out.push_str(&block.text);
                out.push('\n');
            }
            out.push('\x0c');
        }
        out
    }

    /// The pages that have no text layer (read by OCR or not).
    pub fn pages_without_text(&self) -> impl Iterator<Item = u32> + '_ {
        self.page_info
            .iter()
            .filter(|p| p.no_text_layer)
            .map(|p| p.page)
    }

    /// The pages that have no text layer and that OCR did not read: their evidence is missing.
    pub fn unread_pages(&self) -> impl Iterator<Item = &PageInfo> + '_ {
        self.page_info.iter().filter(|p| p.is_unread())
    }

    /// Whether a page was left unread only because the OCR program was not there: worth
    /// reading again once it is.
    pub fn ocr_was_unavailable(&self) -> bool {
        self.page_info
            .iter()
            .any(|p| matches!(p.ocr, Some(PageOcr::Unavailable { .. })))
    }

    /// The pages without a text layer that OCR was tried on, with what it gave.
    pub fn ocr_pages(&self) -> impl Iterator<Item = &PageInfo> + '_ {
        self.page_info.iter().filter(|p| p.ocr.is_some())
    }
}

/// A character that marks a list item where it begins a line: bullets, squares, arrows, check
/// marks, a minus or en dash, and the private-use codes that symbol fonts (Symbol, Wingdings)
/// put their bullets at when a PDF maps them to no Unicode character.
pub fn is_bullet(c: char) -> bool {
    matches!(
        c,
        '•' | '◦'
            | '▪'
            | '▫'
            | '■'
            | '□'
            | '●'
            | '○'
            | '◆'
            | '◇'
            | '►'
            | '▶'
            | '▸'
            | '‣'
            | '⁃'
            | '➢'
            | '➤'
            | '→'
            | '✓'
            | '✔'
            | '❖'
            | '❑'
            | '·'
            | '∙'
            | '−'
            | '–'
    ) || ('\u{E000}'..='\u{F8FF}').contains(&c)
}

/// A list number standing alone: "1." "12)" "(3)" "a)" "(b)" "iv." "(ii)".
pub fn is_list_number(word: &str) -> bool {
    let core = word.strip_prefix('(').unwrap_or(word);
    let Some(body) = core.strip_suffix('.').or_else(|| core.strip_suffix(')')) else {
        return false;
    };
    if word.starts_with('(') && !word.ends_with(')') {
        return false;
    }
    !body.is_empty()
        && ((body.len() <= 2 && body.chars().all(|c| c.is_ascii_digit()))
            || (body.len() == 1 && body.chars().all(|c| c.is_ascii_lowercase()))
            || (body.len() <= 4 && body.chars().all(|c| matches!(c, 'i' | 'v' | 'x'))))
}

/// The list marker a line of text starts with, if any: a bullet character, or a list number
/// followed by white space. Returns the marker's length in bytes.
pub fn list_marker(text: &str) -> Option<usize> {
    let c = text.chars().next()?;
    if is_bullet(c) {
        let rest = &text[c.len_utf8()..];
        // A dash starts a list item only when a space follows it ("– and" may be a dash).
        let dash = matches!(c, '−' | '–');
        return (!dash || rest.starts_with(char::is_whitespace) || rest.is_empty())
            .then_some(c.len_utf8());
    }
    let end = text.find(char::is_whitespace)?;
    is_list_number(&text[..end]).then_some(end)
}

impl Document {
    /// A document of a format without pages (DOCX, XLSX, ODF, RTF, DOC): everything is on
    /// page 1, and warnings belong to no page. The sha256 is filled in by the caller.
    pub fn unpaged(
        format: Format,
        metadata: Metadata,
        has_revisions: bool,
        warnings: impl IntoIterator<Item = String>,
        blocks: Vec<Block>,
    ) -> Document {
        Document {
            sha256: String::new(),
            format,
            pages: 1,
            metadata,
            has_revisions,
            page_info: Vec::new(),
            warnings: warnings
                .into_iter()
                .map(|message| Warning {
                    page: None,
                    message,
                })
                .collect(),
            blocks,
        }
    }
}

#[cfg(test)]
mod marker_tests {
    use super::*;

    #[test]
    fn list_markers() {
        assert_eq!(list_marker("• apples"), Some(3));
        assert_eq!(list_marker("\u{F0B7} apples"), Some(3));
        assert_eq!(list_marker("1. First"), Some(2));
        assert_eq!(list_marker("(iv) fourth"), Some(4));
        assert_eq!(list_marker("b) second"), Some(2));
        assert_eq!(list_marker("In 2020. we"), None);
        assert_eq!(list_marker("2020. We"), None);
        assert_eq!(list_marker("Hello there"), None);
        assert_eq!(list_marker("“ quoted"), None);
        assert_eq!(list_marker("–based"), None);
        assert_eq!(list_marker("(iv fourth"), None);
    }
}
