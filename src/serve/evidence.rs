//! The evidence behind one passage id, as the evidence page and `/api/passage/ID` show it:
//! the quote and the classified text with its matched spans, the passages before and after
//! it, the citation (supplier, file, page, paragraph, offsets, sha256, section), the rules that
//! fired and the versions. Gathered by [`crate::index::evidence`], as `show` gathers it; this
//! is the flat shape the page and the API print.

use serde::Serialize;
use tantivy::Searcher;

use crate::classify::Classification;
use crate::index::evidence::Evidence as Gathered;
pub use crate::index::evidence::{merge_spans, Span};
use crate::index::records::{PassageRecord, Records};
use crate::index::Store;

#[derive(Clone, Debug, Serialize)]
pub struct Neighbour {
    pub id: String,
    pub page: u64,
    pub text: String,
}

/// One passage's evidence: its record (flat in the JSON, as `show --json` prints a passage
/// record) and what only the evidence page needs.
#[derive(Clone, Debug, Serialize)]
pub struct Evidence {
    /// The passage: its citation (supplier, file, page, paragraph, offsets, sha256, section),
    /// its text (with its OCR confidence when it was read from a scanned page, which the page
    /// says beside the quote), what the classifier found and the versions.
    #[serde(flatten)]
    pub passage: PassageRecord,
    /// The passage's lead-in ("We will:") when it is a list item.
    pub lead_in: Option<String>,
    /// What the classifier read: the lead-in and the text.
    pub classified_text: String,
    /// Spans of the classified text that rules matched, sorted, within bounds.
    pub spans: Vec<Span>,
    pub classification: Option<Classification>,
    pub before: Option<Neighbour>,
    pub after: Option<Neighbour>,
    /// The document's page count, when its record is found.
    pub pages: u64,
}

/// A passage id as the index writes them ([`crate::passage::PassageId`]).
pub fn valid_passage_id(id: &str) -> bool {
    crate::passage::PassageId::is_valid(id)
}

pub fn valid_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The evidence of a passage, or `None` when the index has no such passage.
pub fn load(store: &Store, searcher: &Searcher, id: &str) -> crate::Result<Option<Evidence>> {
    if !valid_passage_id(id) {
        return Ok(None);
    }
    let records = Records::from_parts(store.clone(), searcher.clone());
    Ok(Gathered::find(&records, id, 1)?.map(Evidence::from))
}

impl From<Gathered> for Evidence {
    fn from(g: Gathered) -> Evidence {
        let spans = g.spans();
        let classified_text = g.classified_text();
        let neighbour = |p: Option<&PassageRecord>| {
            p.map(|p| Neighbour {
                id: p.provenance.id.clone(),
                page: p.page,
                text: p.text.clone(),
            })
        };
        let before = neighbour(g.before.last());
        let after = neighbour(g.after.first());
        let pages = g.document.as_ref().map(|d| d.pages).unwrap_or(0);
        Evidence {
            passage: g.passage,
            lead_in: g.detail.passage.lead_in,
            classified_text,
            spans,
            classification: Some(g.detail.classification),
            before,
            after,
            pages,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked_before_any_lookup() {
        let sha = "a".repeat(64);
        assert!(valid_passage_id(&format!("{sha}:12")));
        assert!(!valid_passage_id(&format!("{sha}:")));
        assert!(!valid_passage_id(&format!("{sha}:1x")));
        assert!(!valid_passage_id("../../etc/passwd:1"));
        assert!(!valid_sha256(&"g".repeat(64)));
    }
}
