//! The evidence behind one passage, gathered once for every reader that cites it: `show` in
//! the terminal and the web server's evidence page and `/api/passage/ID`.
//!
//! Evidence is the passage record with everything the classifier said of it (the stored
//! [`Detail`]), the passages around it in its document, and its document's record (page
//! count, and the rule set the document was last checked under).

use serde::Serialize;

use super::records::{Detail, DocumentRecord, PassageRecord, Records};
use super::stamp::RuleSetStamp;
use crate::classify::Classification;
use crate::error::Result;

/// A matched span of the classified text, with what matched there.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Span {
    /// Byte offsets into the classified text ([`Evidence::classified_text`]).
    pub start: usize,
    pub end: usize,
    /// `principle CE9`, `theme apprenticeships`, `measure count`.
    pub label: String,
}

/// One passage and what stands behind it.
#[derive(Clone, Debug)]
pub struct Evidence {
    pub passage: PassageRecord,
    /// The stored passage and classification (evidence spans, lead-in, specificity reasons).
    pub detail: Detail,
    /// Up to `context` passages before it in its document, in order.
    pub before: Vec<PassageRecord>,
    /// Up to `context` passages after it, in order.
    pub after: Vec<PassageRecord>,
    /// Its document's record (absent only from an index that lost it).
    pub document: Option<DocumentRecord>,
}

impl Evidence {
    /// Gather the evidence of `passage` with `context` passages either side.
    pub fn gather(records: &Records, passage: PassageRecord, context: u64) -> Result<Evidence> {
        let detail = passage.detail()?;
        let origin = passage.provenance.origin.clone();
        let at = passage.paragraph;
        let mut before = Vec::new();
        for n in at.saturating_sub(context)..at {
            before.extend(records.passage_at(&origin, n)?);
        }
        let mut after = Vec::new();
        for n in at.saturating_add(1)..=at.saturating_add(context) {
            after.extend(records.passage_at(&origin, n)?);
        }
        let document = records.document_of(&origin)?;
        Ok(Evidence {
            passage,
            detail,
            before,
            after,
            document,
        })
    }

    /// The evidence of the passage with this id, or `None` when the index has no such passage.
    pub fn find(records: &Records, id: &str, context: u64) -> Result<Option<Evidence>> {
        match records.passage(id)? {
            Some(p) => Ok(Some(Evidence::gather(records, p, context)?)),
            None => Ok(None),
        }
    }

    /// What the classifier read: the lead-in (for a list item) and the text.
    pub fn classified_text(&self) -> String {
        self.detail.passage.context_text().into_owned()
    }

    pub fn classification(&self) -> &Classification {
        &self.detail.classification
    }

    /// The rule set the passage's document was last checked under, when it differs from the
    /// one that classified the passage (a rule change that could not affect it).
    pub fn checked_under(&self) -> Option<&RuleSetStamp> {
        let d = self.document.as_ref()?;
        let v = &d.provenance.ruleset_version;
        (*v != self.passage.provenance.ruleset_version).then_some(v)
    }

    /// The spans of the classified text that rules matched, sorted, each on character
    /// boundaries (a span that is not is left out, never cut).
    pub fn spans(&self) -> Vec<Span> {
        spans_of(self.classification(), &self.classified_text())
    }
}

/// The matched spans of a classification that lie on character boundaries of `text`.
pub fn spans_of(c: &Classification, text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut push = |start: usize, end: usize, label: String| {
        if start < end && text.get(start..end).is_some() {
            out.push(Span { start, end, label });
        }
    };
    for p in &c.principles {
        for e in &p.evidence {
            push(e.start, e.end, format!("principle {}", p.id));
        }
    }
    for t in &c.themes {
        for e in &t.evidence {
            push(e.start, e.end, format!("theme {}", t.id));
        }
    }
    for m in &c.measures {
        push(m.start, m.end, format!("measure {}", m.kind));
    }
    out.sort_by(|a, b| (a.start, a.end, &a.label).cmp(&(b.start, b.end, &b.label)));
    out.dedup();
    out
}

/// Disjoint highlighted ranges from possibly overlapping spans, each with its labels.
pub fn merge_spans(spans: &[Span]) -> Vec<(usize, usize, Vec<String>)> {
    let mut out: Vec<(usize, usize, Vec<String>)> = Vec::new();
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start < last.1 => {
                last.1 = last.1.max(s.end);
                if !last.2.contains(&s.label) {
                    last.2.push(s.label.clone());
                }
            }
            _ => out.push((s.start, s.end, vec![s.label.clone()])),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_spans_merge_with_their_labels() {
        let s = |start, end, l: &str| Span {
            start,
            end,
            label: l.into(),
        };
        let merged = merge_spans(&[s(0, 5, "a"), s(3, 8, "b"), s(10, 12, "c")]);
        assert_eq!(merged.len(), 2);
        assert_eq!((merged[0].0, merged[0].1), (0, 8));
        assert_eq!(merged[0].2, vec!["a", "b"]);
    }
}
