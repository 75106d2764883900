//! The evidence behind one passage id, as the evidence page and `/api/passage/ID` show it:
//! the quote and the classified text with its matched spans, the passages before and after
//! it, the citation (supplier, file, page, paragraph, offsets, sha256, section), the rules that
//! fired and the versions.

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument, Term};

use crate::classify::Classification;
use crate::index::records::Detail;
use crate::index::schema::{RECORD_DOCUMENT, RECORD_PASSAGE};
use crate::index::{index_error, Store};

/// A matched span of the classified text, with what matched there.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Span {
    /// Byte offsets into [`Evidence::classified_text`].
    pub start: usize,
    pub end: usize,
    /// `principle CE9`, `theme apprenticeships`, `measure count`.
    pub label: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Neighbour {
    pub id: String,
    pub page: u64,
    pub text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Evidence {
    pub id: String,
    pub supplier: String,
    pub tender: String,
    pub lot: String,
    pub origin: String,
    pub sha256: String,
    pub format: String,
    pub page: u64,
    pub paragraph: u64,
    pub start: u64,
    pub end: u64,
    pub section: String,
    pub text: String,
    /// The passage's lead-in ("We will:") when it is a list item.
    pub lead_in: Option<String>,
    /// What the classifier read: the lead-in and the text.
    pub classified_text: String,
    pub kind: String,
    pub principles: Vec<String>,
    pub themes: Vec<String>,
    pub rules: Vec<String>,
    pub score: u64,
    /// Spans of the classified text that rules matched, sorted, within bounds.
    pub spans: Vec<Span>,
    pub classification: Option<Classification>,
    pub before: Option<Neighbour>,
    pub after: Option<Neighbour>,
    pub ruleset_version: String,
    pub extractor_version: String,
    pub ingested: i64,
    /// The document's page count, when its record is found.
    pub pages: u64,
}

struct Rec {
    d: TantivyDocument,
}

impl Rec {
    fn text(&self, field: tantivy::schema::Field) -> String {
        self.d
            .get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    }
    fn all(&self, field: tantivy::schema::Field) -> Vec<String> {
        self.d
            .get_all(field)
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    }
    fn num(&self, field: tantivy::schema::Field) -> u64 {
        self.d
            .get_first(field)
            .and_then(|v| v.as_u64())
            .unwrap_or(0)
    }
}

use crate::index::query::term;

fn first(store: &Store, searcher: &Searcher, q: &dyn Query) -> crate::Result<Option<Rec>> {
    let top = searcher
        .search(q, &TopDocs::with_limit(1).order_by_score())
        .map_err(|e| index_error(&store.dir, e))?;
    let Some((_, addr)) = top.into_iter().next() else {
        return Ok(None);
    };
    let d: TantivyDocument = searcher.doc(addr).map_err(|e| index_error(&store.dir, e))?;
    Ok(Some(Rec { d }))
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
    let f = store.fields;
    let q = BooleanQuery::new(vec![
        (Occur::Must, term(f.record, RECORD_PASSAGE)),
        (Occur::Must, term(f.id, id)),
    ]);
    let Some(r) = first(store, searcher, &q)? else {
        return Ok(None);
    };
    let detail: Option<Detail> = serde_json::from_str(&r.text(f.detail)).ok();
    let text = r.text(f.text);
    let lead_in = detail.as_ref().and_then(|d| d.passage.lead_in.clone());
    let classified_text = detail
        .as_ref()
        .map(|d| d.passage.context_text().into_owned())
        .unwrap_or_else(|| text.clone());
    let classification = detail.map(|d| d.classification);
    let spans = classification
        .as_ref()
        .map(|c| spans_of(c, &classified_text))
        .unwrap_or_default();
    let origin = r.text(f.origin);
    let sha = r.text(f.sha256);
    let paragraph = r.num(f.paragraph);
    let neighbour = |n: u64| -> crate::Result<Option<Neighbour>> {
        let q = BooleanQuery::new(vec![
            (Occur::Must, term(f.record, RECORD_PASSAGE)),
            (Occur::Must, term(f.origin, &origin)),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.paragraph, n),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        Ok(first(store, searcher, &q)?.map(|n| Neighbour {
            id: n.text(f.id),
            page: n.num(f.page),
            text: n.text(f.text),
        }))
    };
    let before = match paragraph.checked_sub(1) {
        Some(p) => neighbour(p)?,
        None => None,
    };
    let after = neighbour(paragraph.saturating_add(1))?;
    let doc_q = BooleanQuery::new(vec![
        (Occur::Must, term(f.record, RECORD_DOCUMENT)),
        (Occur::Must, term(f.origin, &origin)),
    ]);
    let pages = first(store, searcher, &doc_q)?
        .map(|d| d.num(f.pages))
        .unwrap_or(0);
    Ok(Some(Evidence {
        id: r.text(f.id),
        supplier: r.text(f.supplier),
        tender: r.text(f.tender),
        lot: r.text(f.lot),
        origin,
        sha256: sha,
        format: r.text(f.format),
        page: r.num(f.page),
        paragraph,
        start: r.num(f.start),
        end: r.num(f.end),
        section: r.text(f.section),
        text,
        lead_in,
        classified_text,
        kind: r.text(f.kind),
        principles: r.all(f.principle),
        themes: r.all(f.theme),
        rules: r.all(f.rule),
        score: r.num(f.score),
        spans,
        classification,
        before,
        after,
        ruleset_version: r.text(f.ruleset_version),
        extractor_version: r.text(f.extractor_version),
        ingested: r
            .d
            .get_first(f.ingested)
            .and_then(|v| v.as_i64())
            .unwrap_or(0),
        pages,
    }))
}

/// The matched spans of a classification that lie on character boundaries of `text`.
fn spans_of(c: &Classification, text: &str) -> Vec<Span> {
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
    fn ids_are_checked_before_any_lookup() {
        let sha = "a".repeat(64);
        assert!(valid_passage_id(&format!("{sha}:12")));
        assert!(!valid_passage_id(&format!("{sha}:")));
        assert!(!valid_passage_id(&format!("{sha}:1x")));
        assert!(!valid_passage_id("../../etc/passwd:1"));
        assert!(!valid_sha256(&"g".repeat(64)));
    }

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
