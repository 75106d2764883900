//! Plain text saved under a document's name: a `.odt`, `.docx` or `.pdf` that is in fact
//! text (an answer pasted into a text editor and saved with the expected extension, an export
//! gone wrong). Office suites open such a file as text; refusing it would leave the
//! supplier's words unread for a naming slip. It is read, and the document says so in a
//! warning, so that an auditor knows the file is not what its name claims.
//!
//! [`super::sniff`] gives this reader only bytes that look like text: UTF-8 (or ASCII)
//! without control characters in the first 4 KiB, or UTF-16 with a byte order mark. Files
//! named `.txt` are not ingested at all (see `unread`); `tenderscope extract` reads them.
//!
//! Blocks: a run of non-blank lines is a paragraph, its lines kept as lines (as a PDF
//! paragraph's are); a line that opens with a bullet or a list number starts a list item,
//! and the lines after it that are indented continue it. The whole is one page.

use crate::document::{Block, BlockKind, Document, Format, Metadata, Warning};
use crate::error::{Error, Result};
use crate::limits::{Deadline, Limits};

/// The warning every plain-text document carries.
pub const WARNING: &str = "the content is plain text, not a document package: read as text, \
     without layout, tables or notes (a file named .docx, .odt or .pdf is not one)";

/// The text of bytes [`super::sniff`] took for plain text: UTF-16 by its byte order mark,
/// otherwise UTF-8, an invalid byte past the sniffed head replaced (U+FFFD).
fn decode(bytes: &[u8]) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return text.into_owned();
    }
    String::from_utf8_lossy(bytes).into_owned()
}

/// Whether a line opens a list item: a bullet, or a number or letter with `.` or `)`.
fn is_item(line: &str) -> bool {
    let t = line.trim_start();
    let mut chars = t.chars();
    match chars.next() {
        Some('-' | '*' | '•' | '–' | '▪' | '◦' | '·' | '●' | '○' | '■') => {
            chars.next().is_some_and(char::is_whitespace)
        }
        Some(c) if c.is_ascii_alphanumeric() => {
            let len = t.bytes().take_while(u8::is_ascii_alphanumeric).count();
            let label = &t[..len];
            let numbered = label.bytes().all(|b| b.is_ascii_digit()) && label.len() <= 3;
            let lettered = label.len() == 1 && label.bytes().all(|b| b.is_ascii_lowercase());
            let rest = &t[len..];
            (numbered || lettered)
                && (rest.starts_with(". ") || rest.starts_with(") ") || rest.starts_with(".\t"))
        }
        _ => false,
    }
}

pub fn extract(bytes: &[u8], limits: &Limits, deadline: &Deadline) -> Result<Document> {
    let text = decode(bytes);
    if text.chars().count() > limits.max_text_chars {
        return Err(Error::too_much_text(limits.max_text_chars));
    }
    // Lines end at LF, CRLF or a lone CR; other control characters (a form feed, a stray
    // NUL) are no text, and a tab is a space.
    let text: String = text
        .replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\r' | '\n' => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    let mut blocks: Vec<Block> = Vec::new();
    // The block being built: its kind and its lines.
    let mut cur: Option<(BlockKind, Vec<&str>)> = None;
    let flush = |cur: &mut Option<(BlockKind, Vec<&str>)>, blocks: &mut Vec<Block>| {
        if let Some((kind, lines)) = cur.take() {
            blocks.push(Block::new(kind, 1, lines.join("\n")));
        }
    };
    for (i, raw) in text.lines().enumerate() {
        if i % 4096 == 0 {
            deadline.check()?;
        }
        let line = raw.trim();
        if line.is_empty() {
            flush(&mut cur, &mut blocks);
            continue;
        }
        let indented = raw.starts_with(' ');
        let item = is_item(raw);
        match &mut cur {
            Some((BlockKind::ListItem { .. }, lines)) if !item && indented => lines.push(line),
            Some((BlockKind::Paragraph, lines)) if !item => lines.push(line),
            _ => {
                flush(&mut cur, &mut blocks);
                let kind = if item {
                    BlockKind::ListItem { level: 0 }
                } else {
                    BlockKind::Paragraph
                };
                cur = Some((kind, vec![line]));
            }
        }
    }
    flush(&mut cur, &mut blocks);
    Ok(Document {
        sha256: String::new(),
        format: Format::Text,
        pages: 1,
        metadata: Metadata::default(),
        has_revisions: false,
        page_info: Vec::new(),
        warnings: vec![Warning {
            page: None,
            message: WARNING.into(),
        }],
        blocks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &[u8]) -> Document {
        extract(
            text,
            &Limits::default(),
            &Deadline::after(Limits::default().time_budget),
        )
        .unwrap()
    }

    #[test]
    fn paragraphs_and_list_items() {
        let doc = read(
            b"Our offer\r\nfor the contract.\r\n\r\n- Ten apprentices\n  from the borough\n- A fund\n1. First\n\n\x0cLast line\n",
        );
        let got: Vec<(&BlockKind, &str)> = doc
            .blocks
            .iter()
            .map(|b| (&b.kind, b.text.as_str()))
            .collect();
        let item = BlockKind::ListItem { level: 0 };
        assert_eq!(
            got,
            vec![
                (&BlockKind::Paragraph, "Our offer\nfor the contract."),
                (&item, "- Ten apprentices\nfrom the borough"),
                (&item, "- A fund"),
                (&item, "1. First"),
                (&BlockKind::Paragraph, "Last line"),
            ]
        );
        assert_eq!(doc.format, Format::Text);
        assert_eq!(doc.warnings[0].message, WARNING);
    }

    #[test]
    fn utf16_with_a_byte_order_mark() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(
            "Twelve local jobs £5k"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        assert_eq!(read(&bytes).blocks[0].text, "Twelve local jobs £5k");
    }

    #[test]
    fn too_much_text_is_a_limit() {
        let limits = Limits {
            max_text_chars: 10,
            ..Limits::default()
        };
        let e = extract(
            b"0123456789ab",
            &limits,
            &Deadline::after(limits.time_budget),
        );
        assert!(matches!(e, Err(Error::Limit { .. })));
    }
}
