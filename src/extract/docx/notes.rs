//! Footnotes, endnotes and comments: turning a walked notes part into one text per note.
//!
//! `footnotes.xml`, `endnotes.xml` and `comments.xml` hold many small stories (`w:footnote`,
//! ...), each walked like the body by [`super::body`]. Here each note's blocks are joined into
//! one text, and the separator notes Word keeps for drawing the line above the notes are dropped.

use super::body::WalkOutput;

/// One footnote, endnote or comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: String,
    pub text: String,
}

/// Note types that carry no content (the rule above the notes and its continuations).
fn is_separator(note_type: Option<&str>) -> bool {
    matches!(
        note_type,
        Some("separator" | "continuationSeparator" | "continuationNotice")
    )
}

/// The notes of a walked notes part, in document order, without separators or empty notes.
pub fn notes_of(out: &WalkOutput) -> Vec<Note> {
    let mut texts: Vec<String> = vec![String::new(); out.items.len()];
    for block in &out.blocks {
        let Some(text) = block.item.and_then(|i| texts.get_mut(i)) else {
            continue;
        };
        if block.text.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&block.text);
    }
    out.items
        .iter()
        .zip(texts)
        .filter(|(item, text)| !is_separator(item.note_type.as_deref()) && !text.is_empty())
        .map(|(item, text)| Note {
            id: item.id.clone(),
            text,
        })
        .collect()
}

/// The whole text of a walked header or footer part.
pub fn story_text(out: &WalkOutput) -> String {
    let mut text = String::new();
    for block in out.blocks.iter().filter(|b| !b.text.is_empty()) {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&block.text);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::docx::body::{Item, RawBlock};
    use crate::BlockKind;

    fn block(item: Option<usize>, text: &str) -> RawBlock {
        RawBlock {
            kind: BlockKind::Paragraph,
            text: text.into(),
            item,
            comments: Vec::new(),
        }
    }

    #[test]
    fn separators_dropped_paragraphs_joined() {
        let out = WalkOutput {
            blocks: vec![
                block(Some(0), "----"),
                block(Some(1), "one"),
                block(Some(1), "two"),
            ],
            items: vec![
                Item {
                    id: "-1".into(),
                    note_type: Some("separator".into()),
                },
                Item {
                    id: "1".into(),
                    note_type: None,
                },
            ],
            ..WalkOutput::default()
        };
        assert_eq!(
            notes_of(&out),
            vec![Note {
                id: "1".into(),
                text: "one\ntwo".into()
            }]
        );
    }
}
