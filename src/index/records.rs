//! Reading the index's records back as typed values: what `show`, `export` and `verify` (and
//! later the web server) print.
//!
//! The index holds two kinds of record ([`crate::index::schema`]): a document record per source
//! file (its chain of custody) and a passage record per passage (with its classification).
//! [`Records`] opens the last commit of an index folder and finds records by id, by position
//! (origin and paragraph ordinal) or all of them, streaming. A record serialises to one flat
//! JSON object, `record` first, with `ingested` in RFC 3339: the shape that log stores such as
//! Quickwit and OpenSearch ingest as they are.
//!
//! A stored value that cannot be read (the index folder was tampered with, or written by a
//! bug) is an error naming the record, never a silent default.

use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use serde::{Deserialize, Serialize, Serializer};
use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::query::term as term_query;
use super::schema::{RECORD_DOCUMENT, RECORD_PASSAGE, RECORD_UNREAD};
use super::{index_error, Fields, Store};
use crate::classify::Classification;
use crate::classify::Measure;
use crate::error::{Error, Result};
use crate::passage::Passage;
use crate::unread::Unread;

/// The JSON kept in a passage record's `detail` field: the passage and everything the
/// classifier said (evidence spans, lead-in).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Detail {
    pub passage: Passage,
    pub classification: Classification,
}

/// The JSON kept in a document record's `detail` field: what the scorecard needs of the
/// document without reading its text.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DocumentDetail {
    /// Pages without a text layer (scans).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub no_text_pages: Vec<u32>,
}

/// Most records returned for one id (the same file ingested under several origins shares its
/// ids; past this many something is wrong with the index).
pub const MAX_RECORDS_PER_ID: usize = 1_000;

/// Doc-store blocks cached while streaming every record.
const STORE_CACHE_BLOCKS: usize = 4;

/// Seconds since the epoch as RFC 3339 (UTC, seconds).
pub fn rfc3339(secs: i64) -> String {
    let t = if secs >= 0 {
        UNIX_EPOCH.checked_add(Duration::from_secs(secs.unsigned_abs()))
    } else {
        UNIX_EPOCH.checked_sub(Duration::from_secs(secs.unsigned_abs()))
    };
    t.map(|t| humantime::format_rfc3339_seconds(t).to_string())
        .unwrap_or_else(|| secs.to_string())
}

fn ser_rfc3339<S: Serializer>(secs: &i64, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(*secs))
}

/// What document and passage records share: where the text came from and what read it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Provenance {
    /// A passage's id (`COPY:ORDINAL`, one per submitted copy), or a document's sha256.
    pub id: String,
    pub tender: String,
    pub supplier: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
    /// The source as the user named it: a path, or `ZIP!member`.
    pub origin: String,
    /// The file that was read (for zip members, the staged copy).
    pub path: String,
    pub sha256: String,
    /// `pdf` or `docx`.
    pub format: String,
    pub ruleset_version: String,
    pub extractor_version: String,
    /// When the record was written (stored as seconds since the epoch).
    #[serde(serialize_with = "ser_rfc3339")]
    pub ingested: i64,
}

/// A source file's record: its chain of custody.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocumentRecord {
    #[serde(flatten)]
    pub provenance: Provenance,
    pub size: u64,
    /// The file's modification time when it was ingested.
    #[serde(serialize_with = "ser_rfc3339")]
    pub mtime: i64,
    pub pages: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Pages without a text layer (scans): evidence on them is missing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub no_text_pages: Vec<u32>,
}

/// One passage with its classification.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PassageRecord {
    #[serde(flatten)]
    pub provenance: Provenance,
    pub page: u64,
    /// The passage's ordinal in its document.
    pub paragraph: u64,
    /// Character offsets into the document's text.
    pub start: u64,
    pub end: u64,
    /// The heading path, joined with ` > `.
    pub section: String,
    pub text: String,
    pub kind: String,
    pub principles: Vec<String>,
    pub themes: Vec<String>,
    pub rules: Vec<String>,
    pub measures: Vec<Measure>,
    pub score: u64,
    /// The stored passage and classification as JSON: read it with [`PassageRecord::detail`].
    #[serde(skip)]
    pub detail_json: String,
}

impl PassageRecord {
    /// The whole passage and everything the classifier said (evidence spans, lead-in).
    pub fn detail(&self) -> Result<Detail> {
        serde_json::from_str(&self.detail_json).map_err(|e| Error::Index {
            path: self.provenance.origin.clone().into(),
            detail: format!(
                "record {}: stored detail unreadable: {e}",
                self.provenance.id
            ),
        })
    }
}

/// A record of any kind. Serialises flat, with `record` = `document`, `passage` or `unread`
/// first.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "record", rename_all = "snake_case")]
pub enum Record {
    Document(DocumentRecord),
    Passage(PassageRecord),
    /// A file under a batch root that was not read, and why.
    Unread(Unread),
}

impl Record {
    /// Where a read file's record came from; `None` for a file that was not read.
    pub fn provenance(&self) -> Option<&Provenance> {
        match self {
            Record::Document(d) => Some(&d.provenance),
            Record::Passage(p) => Some(&p.provenance),
            Record::Unread(_) => None,
        }
    }

    /// The record's origin: the path (or `ZIP!member`) of its file.
    pub fn origin(&self) -> &str {
        match self {
            Record::Document(d) => &d.provenance.origin,
            Record::Passage(p) => &p.provenance.origin,
            Record::Unread(u) => &u.origin,
        }
    }

    /// The record's id (an unread file's is its origin).
    pub fn id(&self) -> &str {
        match self {
            Record::Document(d) => &d.provenance.id,
            Record::Passage(p) => &p.provenance.id,
            Record::Unread(u) => &u.origin,
        }
    }
}

/// The last commit of an index folder, open for reading.
pub struct Records {
    pub store: Store,
    searcher: Searcher,
}

impl Records {
    /// Open an existing index folder (an error says how to make one if there is none).
    pub fn open(dir: &Path) -> Result<Records> {
        let store = Store::open(dir)?;
        let searcher = store.reader()?.searcher();
        Ok(Records { store, searcher })
    }

    pub fn searcher(&self) -> &Searcher {
        &self.searcher
    }

    fn fields(&self) -> Fields {
        self.store.fields
    }

    fn err(&self, e: tantivy::TantivyError) -> Error {
        index_error(&self.store.dir, e)
    }

    fn addresses(&self, query: &dyn Query) -> Result<Vec<DocAddress>> {
        let mut hits: Vec<DocAddress> = self
            .searcher
            .search(query, &DocSetCollector)
            .map_err(|e| self.err(e))?
            .into_iter()
            .collect();
        hits.sort();
        Ok(hits)
    }

    fn load(&self, addr: DocAddress) -> Result<Record> {
        let doc: TantivyDocument = self.searcher.doc(addr).map_err(|e| self.err(e))?;
        record_from(self.fields(), &doc)
    }

    /// Every record with this id, ordered by origin: a passage id, or a document's sha256.
    /// More than one when the same file was ingested under several origins.
    pub fn by_id(&self, id: &str) -> Result<Vec<Record>> {
        let f = self.fields();
        let q = TermQuery::new(Term::from_field_text(f.id, id), IndexRecordOption::Basic);
        let mut out = Vec::new();
        for addr in self.addresses(&q)?.into_iter().take(MAX_RECORDS_PER_ID) {
            out.push(self.load(addr)?);
        }
        out.sort_by(|a, b| a.origin().cmp(b.origin()));
        Ok(out)
    }

    /// The passage at `paragraph` in the document from `origin`, if there is one.
    pub fn passage_at(&self, origin: &str, paragraph: u64) -> Result<Option<PassageRecord>> {
        let f = self.fields();
        let q = BooleanQuery::new(vec![
            (Occur::Must, term_query(f.record, RECORD_PASSAGE)),
            (Occur::Must, term_query(f.origin, origin)),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.paragraph, paragraph),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        for addr in self.addresses(&q)? {
            if let Record::Passage(p) = self.load(addr)? {
                return Ok(Some(p));
            }
        }
        Ok(None)
    }

    /// How many passage records the document from `origin` has.
    pub fn passage_count(&self, origin: &str) -> Result<usize> {
        let f = self.fields();
        let q = BooleanQuery::new(vec![
            (Occur::Must, term_query(f.record, RECORD_PASSAGE)),
            (Occur::Must, term_query(f.origin, origin)),
        ]);
        self.searcher.search(&q, &Count).map_err(|e| self.err(e))
    }

    /// Every `unread` record (files under a batch root that were not read), ordered by origin.
    pub fn unread(&self) -> Result<Vec<Unread>> {
        let q = term_query(self.fields().record, RECORD_UNREAD);
        let mut out = Vec::new();
        for addr in self.addresses(&*q)? {
            match self.load(addr)? {
                Record::Unread(u) => out.push(u),
                other => {
                    return Err(Error::Index {
                        path: self.store.dir.clone(),
                        detail: format!("record {} is marked unread but is not", other.id()),
                    })
                }
            }
        }
        out.sort_by(|a, b| a.origin.cmp(&b.origin));
        Ok(out)
    }

    /// Every document record, ordered by origin.
    pub fn documents(&self) -> Result<Vec<DocumentRecord>> {
        documents(&self.store, &self.searcher)
    }

    /// Call `each` on every live record, in index order, reading the doc store sequentially
    /// (memory stays flat however large the index). A record that cannot be read is passed as
    /// an error and the walk goes on; an error returned by `each` stops it.
    pub fn for_each(
        &self,
        mut each: impl FnMut(Result<Record>) -> std::result::Result<(), Error>,
    ) -> Result<()> {
        let f = self.fields();
        for segment in self.searcher.segment_readers() {
            let store = segment
                .get_store_reader(STORE_CACHE_BLOCKS)
                .map_err(|source| Error::Io {
                    path: Store::tantivy_dir(&self.store.dir),
                    source,
                })?;
            for doc in store.iter::<TantivyDocument>(segment.alive_bitset()) {
                let rec = doc
                    .map_err(|e| self.err(e))
                    .and_then(|d| record_from(f, &d));
                each(rec)?;
            }
        }
        Ok(())
    }
}

/// Every document record of a commit, ordered by origin.
pub fn documents(store: &Store, searcher: &Searcher) -> Result<Vec<DocumentRecord>> {
    let f = store.fields;
    let q = term_query(f.record, RECORD_DOCUMENT);
    let hits = searcher
        .search(&*q, &DocSetCollector)
        .map_err(|e| index_error(&store.dir, e))?;
    let mut out = Vec::with_capacity(hits.len());
    for addr in hits {
        let doc: TantivyDocument = searcher.doc(addr).map_err(|e| index_error(&store.dir, e))?;
        match record_from(f, &doc)? {
            Record::Document(d) => out.push(d),
            other => {
                return Err(Error::Index {
                    path: store.dir.clone(),
                    detail: format!("record {} is marked a document but is not one", other.id()),
                })
            }
        }
    }
    out.sort_by(|a, b| a.provenance.origin.cmp(&b.provenance.origin));
    Ok(out)
}

fn text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn texts(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn u64_of(doc: &TantivyDocument, field: Field) -> Option<u64> {
    doc.get_first(field).and_then(|v| v.as_u64())
}

fn i64_of(doc: &TantivyDocument, field: Field) -> Option<i64> {
    doc.get_first(field).and_then(|v| v.as_i64())
}

/// Turn a stored tantivy document into a record. A passage record is one with a paragraph
/// ordinal (the `record` field is indexed, not stored).
pub fn record_from(f: Fields, doc: &TantivyDocument) -> Result<Record> {
    let id = text(doc, f.id).unwrap_or_default();
    let origin = text(doc, f.origin).unwrap_or_default();
    let missing = |what: &str| Error::Index {
        path: origin.clone().into(),
        detail: format!("record {id:?} has no stored {what}"),
    };
    if id.is_empty() {
        return Err(missing("id"));
    }
    if text(doc, f.sha256).is_none() {
        // Only a file that was not read has no sha256; its detail says why.
        let detail = text(doc, f.detail).ok_or_else(|| missing("sha256"))?;
        let unread: Unread = serde_json::from_str(&detail).map_err(|e| Error::Index {
            path: origin.clone().into(),
            detail: format!("record {id:?} has no sha256 and no readable reason: {e}"),
        })?;
        return Ok(Record::Unread(unread));
    }
    let provenance = Provenance {
        id: id.clone(),
        tender: text(doc, f.tender).unwrap_or_default(),
        supplier: text(doc, f.supplier).unwrap_or_default(),
        lot: text(doc, f.lot),
        origin: origin.clone(),
        path: text(doc, f.path).unwrap_or_default(),
        sha256: text(doc, f.sha256).ok_or_else(|| missing("sha256"))?,
        format: text(doc, f.format).unwrap_or_default(),
        ruleset_version: text(doc, f.ruleset_version).unwrap_or_default(),
        extractor_version: text(doc, f.extractor_version).unwrap_or_default(),
        ingested: i64_of(doc, f.ingested).unwrap_or(0),
    };
    let Some(paragraph) = u64_of(doc, f.paragraph) else {
        return Ok(Record::Document(DocumentRecord {
            provenance,
            size: u64_of(doc, f.size).unwrap_or(0),
            mtime: i64_of(doc, f.mtime).unwrap_or(0),
            pages: u64_of(doc, f.pages).unwrap_or(0),
            title: text(doc, f.title),
            no_text_pages: match text(doc, f.detail) {
                None => Vec::new(),
                Some(json) => {
                    serde_json::from_str::<DocumentDetail>(&json)
                        .map_err(|e| Error::Index {
                            path: origin.clone().into(),
                            detail: format!("record {id}: stored detail unreadable: {e}"),
                        })?
                        .no_text_pages
                }
            },
        }));
    };
    let measures_json = text(doc, f.measures).unwrap_or_else(|| "[]".into());
    let measures: Vec<Measure> =
        serde_json::from_str(&measures_json).map_err(|e| Error::Index {
            path: origin.clone().into(),
            detail: format!("record {id}: stored measures unreadable: {e}"),
        })?;
    Ok(Record::Passage(PassageRecord {
        provenance,
        page: u64_of(doc, f.page).unwrap_or(0),
        paragraph,
        start: u64_of(doc, f.start).unwrap_or(0),
        end: u64_of(doc, f.end).unwrap_or(0),
        section: text(doc, f.section).unwrap_or_default(),
        text: text(doc, f.text).ok_or_else(|| missing("text"))?,
        kind: text(doc, f.kind).unwrap_or_default(),
        principles: texts(doc, f.principle),
        themes: texts(doc, f.theme),
        rules: texts(doc, f.rule),
        measures,
        score: u64_of(doc, f.score).unwrap_or(0),
        detail_json: text(doc, f.detail).unwrap_or_default(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_of_epoch_seconds() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn records_serialise_flat_with_record_first() {
        let rec = Record::Document(DocumentRecord {
            provenance: Provenance {
                id: "ab".into(),
                tender: "t".into(),
                supplier: "s".into(),
                lot: None,
                origin: "/b/s/x.pdf".into(),
                path: "/b/s/x.pdf".into(),
                sha256: "ab".into(),
                format: "pdf".into(),
                ruleset_version: "r".into(),
                extractor_version: "e".into(),
                ingested: 60,
            },
            size: 3,
            mtime: 0,
            pages: 1,
            title: None,
            no_text_pages: Vec::new(),
        });
        let json = serde_json::to_string(&rec).unwrap_or_default();
        assert!(
            json.starts_with(r#"{"record":"document","id":"ab","#),
            "{json}"
        );
        assert!(
            json.contains(r#""ingested":"1970-01-01T00:01:00Z""#),
            "{json}"
        );
        assert!(!json.contains("lot"), "{json}");
    }
}
